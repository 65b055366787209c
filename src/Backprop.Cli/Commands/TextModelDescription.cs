using Backprop.Data;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>The text model an architecture describes for a vocabulary: train's --arch, and --arch for a bare state dict in eval and generate.</summary>
internal static class TextModelDescription
{
    public const string BlockSizeOption = "--block-size";

    /// <summary>
    /// <paramref name="architecture"/> reading windows of <paramref name="blockSize"/> tokens of <paramref name="tokenizer"/>'s
    /// vocabulary, or when no window is given a GPT's block_size (a window above a GPT's block_size is refused by its shape rule).
    /// </summary>
    public static ModelDescription Describe(Architecture architecture, Tokenizer tokenizer, int? blockSize)
    {
        int window = blockSize switch
        {
            < 1 and var given => throw new ArgumentException($"{BlockSizeOption} must be at least 1, got {given}"),
            { } given => given,
            null when architecture.Layers is [{ Name: "GPT" } gpt] => gpt.Arguments.Int("block_size"),
            null => throw new ArgumentException($"{BlockSizeOption}: give the window of tokens {architecture} reads, such as {BlockSizeOption} 64"),
        };
        return new ModelDescription(architecture, window, tokenizer);
    }
}

namespace Backprop.Tests.Cli;

/// <summary>generate and plot attention on a model trained by train --data FILE.txt; generate's one-line refusals.</summary>
public class GenerateCommandTests
{
    /// <summary>A tiny GPT trained for two steps on a small text, shared by the tests (training it once).</summary>
    private static readonly Lazy<(TempDirectory Dir, string Model)> Trained = new(() =>
    {
        var dir = new TempDirectory();
        string corpus = dir.File("corpus.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("to be or not to be, that is the question\n", 10)));
        string model = dir.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", corpus, "--arch", "GPT(15, 8, 2, 2, 8)", "--steps", "2", "--batch-size", "2", "--save", model).Code);
        return (dir, model);
    });

    [Fact]
    public void SamplingIsSeededAndCarriesOnPastTheBlockSize()
    {
        string[] args = ["generate", "--model", Trained.Value.Model, "--prompt", "to be", "--tokens", "20", "--seed", "7"];
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(0, code);
        Assert.StartsWith("to be", output);
        Assert.Equal(5 + 20 + Environment.NewLine.Length, output.Length); // one character per token, past the window of 8
        Assert.Contains("20 tokens in", error);
        Assert.Equal(output, CliRunner.Run(args).Output);
        Assert.NotEqual(output, CliRunner.Run([.. args[..^1], "8"]).Output);
    }

    [Fact]
    public void BadArgumentsAreOneLine()
    {
        string model = Trained.Value.Model;
        CliAssert.OneLineError(CliRunner.Run("generate", "--model", model, "--prompt", "to bx"), "--prompt: text: 'x' (U+0078) at character 4 is not in the vocabulary of 15 characters");
        CliAssert.OneLineError(CliRunner.Run("generate", "--model", model, "--tokens", "0"), "--tokens must be at least 1, got 0");
        CliAssert.OneLineError(CliRunner.Run("generate", "--model", model, "--temperature", "0"), "--temperature must be greater than 0, got 0");
        CliAssert.OneLineError(CliRunner.Run("generate", "--model", model, "--top-k", "0"), "--top-k must be between 1 and the model's 15 tokens, got 0");
        CliAssert.OneLineError(CliRunner.Run("generate", "--model", model, "--top-k", "16"), "--top-k must be between 1 and the model's 15 tokens, got 16");
    }

    [Fact]
    public void PlotsEachHeadsAttentionForAPrompt()
    {
        string png = Trained.Value.Dir.File("attention.png");
        var (code, output, error) = CliRunner.Run("plot", "attention", "--model", Trained.Value.Model, "--prompt", "to be or", "--out", png);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("Wrote", output);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }
}

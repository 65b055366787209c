using Microsoft.ML.Tokenizers;

namespace Backprop.Data;

/// <summary>
/// GPT-2's byte-pair encoding (OpenAI's <c>gpt2</c> encoding, tiktoken's <c>r50k_base</c>), through Microsoft.ML.Tokenizers and
/// its GPT-2 data package: 50,257 tokens, every text encodable (the BPE runs over UTF-8 bytes, so a character it has never
/// seen becomes several byte tokens). "Hello world" is [15496, 995]. The text <c>&lt;|endoftext|&gt;</c> is the end-of-text
/// token 50256, as Hugging Face's GPT2Tokenizer reads it. A token can end part-way through a character's UTF-8 bytes: decode a
/// generated stream with <see cref="TextDecoder"/>, which holds such a tail back until the character is complete.
/// </summary>
public sealed class Gpt2Tokenizer : Tokenizer
{
    /// <summary>This tokenizer's <see cref="Tokenizer.Name"/>.</summary>
    internal const string TokenizerName = "gpt2";

    /// <summary>GPT-2's vocabulary size: 50,000 merges, 256 bytes and the end-of-text token.</summary>
    private const int Size = 50257;

    // One tokenizer for the process: reading the 50,000 merges takes a moment, and it is safe to share between threads.
    private static readonly Lazy<TiktokenTokenizer> Bpe = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    /// <inheritdoc/>
    public override string Name => TokenizerName;

    /// <inheritdoc/>
    public override int VocabularySize => Size;

    /// <summary>GPT-2's tokens of <paramref name="text"/>; only a lone UTF-16 surrogate (no character at all) is an error.</summary>
    public override int[] Encode(string text)
    {
        foreach (var _ in Runes(text)) { } // the BPE would encode a lone surrogate as bytes that are not UTF-8: refuse it
        return [.. Bpe.Value.EncodeToIds(text)];
    }

    /// <inheritdoc/>
    public override string Decode(ReadOnlySpan<int> tokens)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            // Microsoft.ML.Tokenizers skips an unknown token silently.
            if ((uint)tokens[i] >= Size) throw TokenOutOfRange(tokens[i], i);
        }
        return Bpe.Value.Decode(tokens.ToArray());
    }
}

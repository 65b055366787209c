using System.Buffers;
using System.Text;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// A text as a sequence of tokens (its own characters, see <see cref="CharTokenizer"/>, or a <see cref="Tokenizer"/>'s), split
/// as nanoGPT splits it: the first 90 % of the tokens train, the last 10 % validate, in file order. The text is read strictly
/// as UTF-8 (a byte-order mark is a character, and line endings stay as they are in the file). Character tokens are decoded
/// straight from the bytes into compact tokens (see <see cref="TokenSequence"/>), never into a string, so reading a text of
/// n bytes needs about 3·n bytes at its peak and keeps about 2·n; GPT-2's byte-pair encoding reads a string of the text
/// (2·n bytes more while it encodes) and keeps fewer tokens than characters.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The share of the tokens that trains (nanoGPT's <c>int(n*0.9)</c>).</summary>
    public const double TrainFraction = 0.9;

    private TextCorpus(TokenSequence tokens, Tokenizer tokenizer)
    {
        Tokens = tokens;
        Tokenizer = tokenizer;
        int train = (int)(tokens.Count * TrainFraction);
        Train = tokens.Slice(0, train, $"{tokens.Name} (training split)");
        Validation = tokens.Slice(train, tokens.Count - train, $"{tokens.Name} (validation split)");
    }

    /// <summary>
    /// The text in the file at <paramref name="path"/>, tokenized by <paramref name="tokenizer"/> (a model's; a <c>char</c>
    /// vocabulary must hold every character) or, when none is given, by the file's own characters (<see cref="CharTokenizer.FromText"/>).
    /// Bytes that are not UTF-8, an empty file or a character outside the given vocabulary are a <see cref="DataFileException"/>
    /// naming the byte offset.
    /// </summary>
    public static TextCorpus Read(string path, Tokenizer? tokenizer = null) =>
        DataFileException.ReadFile(path, file =>
        {
            if (file.Length > Array.MaxLength) throw new DataFileException(path, $"has {file.Length} bytes, more than the {Array.MaxLength} a text may have");
            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return FromUtf8(bytes, path, tokenizer);
        });

    /// <summary>As <see cref="Read"/>, from <paramref name="text"/> (a lone UTF-16 surrogate is an error); <paramref name="name"/> names it in errors.</summary>
    public static TextCorpus FromString(string text, string name = "text", Tokenizer? tokenizer = null)
    {
        byte[] bytes;
        try
        {
            bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new DataFileException(name, $"has a lone UTF-16 surrogate at UTF-16 index {e.Index} (not valid Unicode)");
        }
        return FromUtf8(bytes, name, tokenizer);
    }

    /// <summary>As <see cref="Read"/>, from UTF-8 bytes already in memory (an upload in the browser, say); <paramref name="name"/> names them in errors.</summary>
    public static TextCorpus FromUtf8(ReadOnlySpan<byte> utf8, string name, Tokenizer? tokenizer = null)
    {
        // First pass: check the bytes, count the characters and gather the alphabet (or check the tokenizer covers them all).
        var seen = tokenizer is null ? new HashSet<int>() : null;
        int count = 0;
        for (int offset = 0; offset < utf8.Length; count++)
        {
            if (Rune.DecodeFromUtf8(utf8[offset..], out var rune, out int used) != OperationStatus.Done)
                throw new DataFileException(name, $"is not valid UTF-8: byte 0x{utf8[offset]:X2} at byte offset {offset} does not start a well-formed character");
            if (seen is not null) seen.Add(rune.Value);
            else if (!tokenizer!.Covers(rune))
                throw new DataFileException(name, $"{CharTokenizer.Describe(rune)} at character {count} (byte offset {offset}) {tokenizer.NotInVocabulary}");
            offset += used;
        }
        if (count == 0) throw new DataFileException(name, "is empty (expected text)");
        tokenizer ??= CharTokenizer.FromCodePoints(seen!);

        // Second pass: the tokens, two bytes each while the vocabulary allows it.
        var storage = tokenizer.EncodeUtf8(utf8, count);
        return new TextCorpus(new TokenSequence(storage, 0, storage.Length, name), tokenizer);
    }

    /// <summary>Where the text came from (a path or the name given), for messages.</summary>
    public string Name => Tokens.Name;

    /// <summary>The tokenizer: the text's own characters, or the one given.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>All the tokens, in file order.</summary>
    public TokenSequence Tokens { get; }

    /// <summary>The first 90 % of the tokens (<see cref="TrainFraction"/>, rounded down), which train.</summary>
    public TokenSequence Train { get; }

    /// <summary>The rest, which validate.</summary>
    public TokenSequence Validation { get; }

    /// <summary>
    /// Checks that each split holds a window of <paramref name="blockSize"/> tokens and its next-token targets (T + 1 tokens),
    /// or throws a <see cref="DataFileException"/> saying how many tokens the text has and how many it needs.
    /// </summary>
    public void RequireWindows(int blockSize)
    {
        if (Train.Count > blockSize && Validation.Count > blockSize) return;
        // The shortest text whose 90 % / 10 % split leaves T + 1 tokens on each side.
        int needed = blockSize + 1;
        while ((int)(needed * TrainFraction) <= blockSize || needed - (int)(needed * TrainFraction) <= blockSize) needed++;
        throw new DataFileException(Name, $"has {Tokens.Count} tokens; windows of {blockSize} tokens need at least {needed} ({blockSize + 1} in each of the training (90 %) and validation (10 %) splits)");
    }
}

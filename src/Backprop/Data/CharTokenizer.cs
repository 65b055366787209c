using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backprop.Data;

/// <summary>
/// One token per character, as nanoGPT's <c>prepare.py</c> builds it: the vocabulary is the distinct characters of a text
/// sorted by code point (ordinal, never a culture's order), and a token is a character's index in it. A character is a
/// Unicode code point (a <see cref="Rune"/>), so a character outside the Basic Multilingual Plane is one token, not two
/// UTF-16 surrogates, and sorts by its code point, after U+FFFF.
/// </summary>
public sealed class CharTokenizer
{
    private readonly string[] vocabulary;
    private readonly Dictionary<int, int> ids;

    /// <summary>
    /// A tokenizer with the given vocabulary, token i being <paramref name="vocabulary"/>[i] (the order a model file keeps);
    /// each entry must be one character (one code point), and none may appear twice.
    /// </summary>
    public CharTokenizer(IEnumerable<string> vocabulary)
    {
        this.vocabulary = [.. vocabulary];
        if (this.vocabulary.Length == 0) throw new ArgumentException("char vocabulary: no characters");
        ids = new Dictionary<int, int>(this.vocabulary.Length);
        for (int id = 0; id < this.vocabulary.Length; id++)
        {
            string entry = this.vocabulary[id];
            if (Rune.DecodeFromUtf16(entry, out var rune, out int used) != OperationStatus.Done || used != entry.Length)
                throw new ArgumentException($"char vocabulary: entry {id} (\"{entry}\") is not one character");
            if (!ids.TryAdd(rune.Value, id))
                throw new ArgumentException($"char vocabulary: {Describe(rune)} appears twice (entries {ids[rune.Value]} and {id})");
        }
    }

    /// <summary>The distinct characters of <paramref name="text"/> in code-point order (nanoGPT's <c>sorted(set(data))</c>).</summary>
    public static CharTokenizer FromText(string text) => FromCodePoints(Runes(text).Select(rune => rune.Value).Distinct());

    /// <summary>The characters <paramref name="codePoints"/> in code-point order.</summary>
    internal static CharTokenizer FromCodePoints(IEnumerable<int> codePoints) =>
        new(codePoints.Order().Select(c => new Rune(c).ToString()));

    /// <summary>The characters, token i being entry i.</summary>
    public IReadOnlyList<string> Vocabulary => vocabulary;

    /// <summary>How many tokens there are (nanoGPT's <c>vocab_size</c>).</summary>
    public int VocabularySize => vocabulary.Length;

    /// <summary>The tokens of <paramref name="text"/>, one per character; a character outside the vocabulary is an error naming it and its position.</summary>
    public int[] Encode(string text) => [.. Runes(text).Select((rune, position) => Id(rune, position))];

    /// <summary>The text of <paramref name="tokens"/>; a token outside the vocabulary is an error.</summary>
    public string Decode(ReadOnlySpan<int> tokens)
    {
        var text = new StringBuilder(tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabulary.Length)
                throw new ArgumentException($"char vocabulary: token {tokens[i]} at position {i} is not one of the {vocabulary.Length} tokens");
            text.Append(vocabulary[tokens[i]]);
        }
        return text.ToString();
    }

    /// <summary>The vocabulary as a JSON array of strings, in token order (how a model file records it).</summary>
    public string ToJson() => JsonSerializer.Serialize(vocabulary, VocabularyJson.Default.StringArray);

    /// <summary>A tokenizer from <see cref="ToJson"/>'s array; anything but an array of distinct single characters is an error.</summary>
    public static CharTokenizer FromJson(string json)
    {
        string?[]? entries;
        try
        {
            entries = JsonSerializer.Deserialize(json, VocabularyJson.Default.StringArray);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"char vocabulary: not a JSON array of strings ({e.Message})");
        }
        if (entries is null || entries.Contains(null)) throw new ArgumentException("char vocabulary: not a JSON array of strings");
        return new CharTokenizer(entries!);
    }

    /// <summary>The token of <paramref name="rune"/>, the character at <paramref name="position"/> (in characters) of the text being encoded.</summary>
    internal int Id(Rune rune, long position) =>
        TryGetId(rune, out int id) ? id : throw new ArgumentException($"text: {Describe(rune)} at character {position} {NotInVocabulary}");

    /// <summary>The token of <paramref name="rune"/>, if the vocabulary has it.</summary>
    internal bool TryGetId(Rune rune, out int id) => ids.TryGetValue(rune.Value, out id);

    /// <summary>How a message ends that names a character outside the vocabulary.</summary>
    internal string NotInVocabulary => $"is not in the vocabulary of {vocabulary.Length} characters";

    /// <summary>A character as a message shows it: quoted and with its code point, or only the code point where quoting would not show it (a line break, a tab).</summary>
    internal static string Describe(Rune rune)
    {
        string codePoint = "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);
        return Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? codePoint : $"'{rune}' ({codePoint})";
    }

    /// <summary>The characters of <paramref name="text"/>; a lone UTF-16 surrogate (no character at all) is an error.</summary>
    private static IEnumerable<Rune> Runes(string text)
    {
        long position = 0;
        for (int i = 0; i < text.Length; position++)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int used) != OperationStatus.Done)
                throw new ArgumentException($"text: a lone UTF-16 surrogate at character {position} (not valid Unicode)");
            yield return rune;
            i += used;
        }
    }
}

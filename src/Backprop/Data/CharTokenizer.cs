using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Backprop.Data;

/// <summary>
/// One token per character, as nanoGPT's <c>prepare.py</c> builds it: the vocabulary is the distinct characters of a text
/// sorted by code point (ordinal, never a culture's order), and a token is a character's index in it. A character is a
/// Unicode code point (a <see cref="Rune"/>), so a character outside the Basic Multilingual Plane is one token, not two
/// UTF-16 surrogates, and sorts by its code point, after U+FFFF.
/// </summary>
public sealed class CharTokenizer : Tokenizer
{
    /// <summary>This tokenizer's <see cref="Tokenizer.Name"/>.</summary>
    internal const string TokenizerName = "char";

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

    /// <inheritdoc/>
    public override string Name => TokenizerName;

    /// <inheritdoc/>
    public override int VocabularySize => vocabulary.Length;

    /// <summary>The tokens of <paramref name="text"/>, one per character; a character outside the vocabulary is an error naming it and its position.</summary>
    public override int[] Encode(string text) => [.. Runes(text).Select((rune, position) => Id(rune, position))];

    /// <summary>The text of <paramref name="tokens"/>; a token outside the vocabulary is an error.</summary>
    public override string Decode(ReadOnlySpan<int> tokens)
    {
        var text = new StringBuilder(tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabulary.Length) throw TokenOutOfRange(tokens[i], i);
            text.Append(vocabulary[tokens[i]]);
        }
        return text.ToString();
    }

    /// <summary>The vocabulary, in token order, after the name (<c>{"name":"char","vocabulary":["a","b"]}</c>).</summary>
    private protected override void WriteJsonProperties(Utf8JsonWriter json)
    {
        json.WritePropertyName("vocabulary");
        JsonSerializer.Serialize(json, vocabulary, VocabularyJson.Default.StringArray);
    }

    /// <summary>The tokenizer of <see cref="Tokenizer.ToJson"/>'s object; a vocabulary that is not an array of distinct single characters is an error.</summary>
    internal static CharTokenizer FromJsonObject(JsonElement json)
    {
        if (!json.TryGetProperty("vocabulary", out var array) || array.ValueKind != JsonValueKind.Array)
            throw new ArgumentException("char vocabulary: not a JSON array of strings");
        string?[] entries = [.. array.EnumerateArray().Select(entry => entry.ValueKind == JsonValueKind.String ? entry.GetString() : null)];
        if (entries.Contains(null)) throw new ArgumentException("char vocabulary: not a JSON array of strings");
        return new CharTokenizer(entries!);
    }

    /// <summary>The token of <paramref name="rune"/>, the character at <paramref name="position"/> (in characters) of the text being encoded.</summary>
    internal int Id(Rune rune, long position) =>
        ids.TryGetValue(rune.Value, out int id) ? id : throw new ArgumentException($"text: {Describe(rune)} at character {position} {NotInVocabulary}");

    /// <inheritdoc/>
    internal override bool Covers(Rune rune) => ids.ContainsKey(rune.Value);

    /// <inheritdoc/>
    internal override string NotInVocabulary => $"is not in the vocabulary of {vocabulary.Length} characters";

    /// <summary>One token per character, straight from the bytes (no string of the whole text), two bytes a token while the vocabulary allows it.</summary>
    internal override Array EncodeUtf8(ReadOnlySpan<byte> utf8, int characters) =>
        VocabularySize <= ushort.MaxValue + 1 ? EncodeUtf8<ushort>(utf8, characters) : EncodeUtf8<int>(utf8, characters);

    private T[] EncodeUtf8<T>(ReadOnlySpan<byte> utf8, int characters) where T : IBinaryInteger<T>
    {
        var tokens = new T[characters];
        for (int offset = 0, i = 0; i < characters; i++)
        {
            Rune.DecodeFromUtf8(utf8[offset..], out var rune, out int used); // the caller checked every byte
            tokens[i] = T.CreateTruncating(Id(rune, i));
            offset += used;
        }
        return tokens;
    }

    /// <summary>A character as a message shows it: quoted and with its code point, or only the code point where quoting would not show it (a line break, a tab).</summary>
    internal static string Describe(Rune rune)
    {
        string codePoint = "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);
        return Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? codePoint : $"'{rune}' ({codePoint})";
    }
}

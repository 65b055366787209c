using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Backprop.Data;

/// <summary>
/// Turns text into tokens (integers below <see cref="VocabularySize"/>) and back: <see cref="CharTokenizer"/> (<c>char</c>,
/// one token per character of a text's own alphabet, nanoGPT's <c>shakespeare_char</c>) or <see cref="Gpt2Tokenizer"/>
/// (<c>gpt2</c>, GPT-2's byte-pair encoding). A model file records one as <see cref="ToJson"/>'s text, so a model decodes
/// its tokens without the corpus it was trained on.
/// </summary>
public abstract class Tokenizer
{
    /// <summary>The names <see cref="Create"/> and <see cref="FromJson"/> know, in that order: <c>char</c> and <c>gpt2</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [CharTokenizer.TokenizerName, Gpt2Tokenizer.TokenizerName];

    private protected Tokenizer() { }

    /// <summary>The tokenizer's name: <c>char</c> or <c>gpt2</c>.</summary>
    public abstract string Name { get; }

    /// <summary>How many tokens there are (nanoGPT's <c>vocab_size</c>); every token is below it.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The tokens of <paramref name="text"/>; text the tokenizer cannot encode is an <see cref="ArgumentException"/> naming the character and its position.</summary>
    public abstract int[] Encode(string text);

    /// <summary>The text of <paramref name="tokens"/>; a token at or above <see cref="VocabularySize"/> (or negative) is an <see cref="ArgumentException"/>.</summary>
    public abstract string Decode(ReadOnlySpan<int> tokens);

    /// <summary>The tokenizer as a model file records it: a JSON object with its <c>name</c> and, for <c>char</c>, its <c>vocabulary</c> (an array of strings in token order).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            WriteJsonProperties(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The tokenizer <see cref="ToJson"/> wrote. Text that is not a JSON object with a known <c>name</c>, or a <c>char</c>
    /// vocabulary that is not an array of distinct single characters, is a one-line <see cref="ArgumentException"/>.
    /// </summary>
    public static Tokenizer FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"tokenizer: not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException($"tokenizer: expected a JSON object with a \"name\", got a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
            if (!root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new ArgumentException("tokenizer: the JSON object has no \"name\" string");
            }
            return name.GetString() switch
            {
                CharTokenizer.TokenizerName => CharTokenizer.FromJsonObject(root),
                Gpt2Tokenizer.TokenizerName => new Gpt2Tokenizer(),
                var other => throw UnknownName(other!),
            };
        }
    }

    /// <summary>
    /// The tokenizer called <paramref name="name"/> for <paramref name="text"/>: <c>char</c> takes the distinct characters of the
    /// whole text in code-point order (<see cref="CharTokenizer.FromText"/>); <c>gpt2</c> is fixed and ignores the text.
    /// Another name is an <see cref="ArgumentException"/>.
    /// </summary>
    public static Tokenizer Create(string name, string text) => name switch
    {
        CharTokenizer.TokenizerName => CharTokenizer.FromText(text),
        Gpt2Tokenizer.TokenizerName => new Gpt2Tokenizer(),
        _ => throw UnknownName(name),
    };

    /// <summary>Writes the JSON properties after <c>name</c> that rebuild this tokenizer (none unless overridden).</summary>
    private protected virtual void WriteJsonProperties(Utf8JsonWriter json) { }

    /// <summary>Whether the tokenizer encodes <paramref name="rune"/> wherever it stands (true unless its vocabulary is a fixed alphabet).</summary>
    internal virtual bool Covers(Rune rune) => true;

    /// <summary>How a message ends that names a character <see cref="Covers"/> refused.</summary>
    internal virtual string NotInVocabulary => $"is not in the {Name} vocabulary";

    /// <summary>
    /// The tokens of well-formed UTF-8 text of <paramref name="characters"/> code points, stored as <see cref="TokenSequence"/>
    /// keeps them (ushort[] while the vocabulary allows it, else int[]); this default decodes the text to a string first.
    /// </summary>
    internal virtual Array EncodeUtf8(ReadOnlySpan<byte> utf8, int characters)
    {
        int[] tokens = Encode(Encoding.UTF8.GetString(utf8));
        return VocabularySize <= ushort.MaxValue + 1 ? Array.ConvertAll(tokens, token => (ushort)token) : tokens;
    }

    /// <summary>An <see cref="ArgumentException"/> for a token outside the vocabulary, at <paramref name="position"/> of the tokens being decoded.</summary>
    private protected ArgumentException TokenOutOfRange(int token, int position) =>
        new($"{Name} vocabulary: token {token} at position {position} is not one of the {VocabularySize} tokens");

    /// <summary>The characters of <paramref name="text"/>; a lone UTF-16 surrogate (no character at all) is an error.</summary>
    private protected static IEnumerable<Rune> Runes(string text)
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

    private static ArgumentException UnknownName(string name) =>
        new($"tokenizer: unknown name \"{name}\" (expected {string.Join(" or ", Names)})");
}

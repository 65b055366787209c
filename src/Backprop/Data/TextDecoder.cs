using System.Runtime.InteropServices;

namespace Backprop.Data;

/// <summary>
/// Decodes tokens that arrive one at a time (generation) into text that can be shown at once: <see cref="Push"/> returns only
/// complete characters. A GPT-2 token can end part-way through a character's UTF-8 bytes ("é" may be two tokens); its
/// tail is held back until the tokens that complete it arrive, and <see cref="Flush"/> gives what is left at the end (an
/// unfinished character as U+FFFD). The concatenation of every <see cref="Push"/> and the final <see cref="Flush"/> equals
/// <see cref="Tokenizer.Decode"/> of all the tokens.
/// </summary>
public sealed class TextDecoder
{
    /// <summary>An incomplete UTF-8 tail is at most 3 bytes, so it lies within the last 3 tokens (every token has a byte).</summary>
    private const int TailTokens = 3;

    private readonly Tokenizer tokenizer;
    private readonly List<int> pending = [];
    private int emitted; // characters of Decode(pending) already returned

    /// <summary>A decoder for the tokens of <paramref name="tokenizer"/>.</summary>
    public TextDecoder(Tokenizer tokenizer) => this.tokenizer = tokenizer;

    /// <summary>
    /// Takes the next token and returns the text it completes (possibly empty); a token outside the vocabulary is an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public string Push(int token)
    {
        if ((uint)token >= (uint)tokenizer.VocabularySize)
            throw new ArgumentException($"{tokenizer.Name} vocabulary: token {token} is not one of the {tokenizer.VocabularySize} tokens");
        pending.Add(token);
        string text = Decode(pending);
        // UTF-8 decoding turns an unfinished character at the end into one U+FFFD and never changes what comes before it
        // when bytes are appended, so all but a final U+FFFD is final. (A real U+FFFD at the end just waits a token.)
        int final = text.EndsWith('\uFFFD') ? text.Length - 1 : text.Length;
        string output = text[emitted..final];
        emitted = final;
        if (final == text.Length)
        {
            pending.Clear();
            emitted = 0;
        }
        else if (pending.Count > TailTokens) Trim(text);
        return output;
    }

    /// <summary>The text held back (an unfinished character decodes as U+FFFD); the decoder then starts afresh.</summary>
    public string Flush()
    {
        string output = Decode(pending)[emitted..];
        pending.Clear();
        emitted = 0;
        return output;
    }

    /// <summary>
    /// Drops the tokens before the last <see cref="TailTokens"/> when they decode on their own to text already returned, so
    /// that a long run of bytes that never form a character (a model emitting stray byte tokens) keeps
    /// <see cref="pending"/> short.
    /// </summary>
    private void Trim(string text)
    {
        int head = pending.Count - TailTokens;
        string headText = Decode(pending[..head]);
        if (headText.Length <= emitted && headText + Decode(pending[head..]) == text)
        {
            pending.RemoveRange(0, head);
            emitted -= headText.Length;
        }
    }

    private string Decode(List<int> tokens) => tokenizer.Decode(CollectionsMarshal.AsSpan(tokens));
}

using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class TextDecoderTests
{
    [Fact]
    public void CharTokensComeOutOneCharacterEach()
    {
        var tokenizer = CharTokenizer.FromText("ab😀");
        var decoder = new TextDecoder(tokenizer);
        Assert.Equal(["😀", "a", "b"], [.. tokenizer.Encode("😀ab").Select(decoder.Push)]);
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void AGpt2CharacterSplitAcrossTokensComesOutWhole()
    {
        var gpt2 = new Gpt2Tokenizer();
        int[] tokens = gpt2.Encode("hi 😀!");
        var decoder = new TextDecoder(gpt2);
        string[] pieces = [.. tokens.Select(decoder.Push)];
        Assert.DoesNotContain(pieces, piece => piece.Contains('\uFFFD')); // no half of the emoji is ever shown
        Assert.Contains("😀", pieces.Select(p => p.TrimStart()));
        Assert.Equal("hi 😀!", string.Concat(pieces) + decoder.Flush());
    }

    [Fact]
    public void AnUnfinishedCharacterIsFlushedAsAReplacement()
    {
        var gpt2 = new Gpt2Tokenizer();
        int[] tokens = gpt2.Encode("ok😀");
        var decoder = new TextDecoder(gpt2);
        string shown = string.Concat(tokens[..^1].Select(decoder.Push)); // the emoji's last byte never comes
        Assert.Equal("ok", shown);
        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("ok", decoder.Push(tokens[0])); // after a flush the decoder starts afresh
    }

    [Fact]
    public void StrayBytesDecodeAsTheWholeSequenceDoes()
    {
        // Tokens of lone UTF-8 continuation bytes never complete a character: everything is shown as Decode shows it, and
        // the decoder keeps only the last few tokens however long the run.
        var gpt2 = new Gpt2Tokenizer();
        int[] emoji = gpt2.Encode("😀");
        int[] tokens = [.. Enumerable.Repeat(emoji[^1], 40), .. gpt2.Encode(" fine"), .. emoji, .. Enumerable.Repeat(emoji[^1], 5)];
        var decoder = new TextDecoder(gpt2);
        var shown = new StringBuilder();
        foreach (int token in tokens) shown.Append(decoder.Push(token));
        shown.Append(decoder.Flush());
        Assert.Equal(gpt2.Decode(tokens), shown.ToString());
    }

    [Fact]
    public void ATokenOutsideTheVocabularyIsRefused()
    {
        var decoder = new TextDecoder(CharTokenizer.FromText("ab"));
        var e = Assert.Throws<ArgumentException>(() => decoder.Push(2));
        Assert.Equal("char vocabulary: token 2 is not one of the 2 tokens", e.Message);
    }
}

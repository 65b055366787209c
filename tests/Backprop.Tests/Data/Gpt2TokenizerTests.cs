using Backprop.Data;

namespace Backprop.Tests.Data;

public class Gpt2TokenizerTests
{
    private static readonly Gpt2Tokenizer Gpt2 = new();

    [Theory]
    // tiktoken's README: enc = tiktoken.get_encoding("gpt2"); enc.encode("hello world") == [31373, 995].
    [InlineData("hello world", new[] { 31373, 995 })]
    // OpenAI's GPT-2 encoder.json: "Hello" is 15496, "Ġworld" (a space, then "world") 995, "," 11, "!" 0.
    [InlineData("Hello world", new[] { 15496, 995 })]
    [InlineData("Hello, world!", new[] { 15496, 11, 995, 0 })]
    // The end-of-text token is the last of the 50,257.
    [InlineData("<|endoftext|>", new[] { 50256 })]
    public void EncodesAsGpt2(string text, int[] tokens)
    {
        Assert.Equal(tokens, Gpt2.Encode(text));
        Assert.Equal(text, Gpt2.Decode(tokens));
    }

    [Theory]
    [InlineData("First Citizen:\nBefore we proceed any further, hear me speak.\n")]
    [InlineData("naïve café, 東京 and 😀 in one line\r\n\ttabs")]
    [InlineData("")]
    public void RoundTrips(string text)
    {
        int[] tokens = Gpt2.Encode(text);
        Assert.All(tokens, token => Assert.InRange(token, 0, 50256));
        Assert.Equal(text, Gpt2.Decode(tokens));
    }

    [Fact]
    public void AnUnseenCharacterBecomesByteTokens()
    {
        // U+1F600 is four UTF-8 bytes (F0 9F 98 80); GPT-2 has no token for the whole character, so it takes more than one.
        int[] tokens = Gpt2.Encode("😀");
        Assert.True(tokens.Length > 1);
        Assert.Contains('\uFFFD', Gpt2.Decode(tokens[..1])); // the first token alone is an unfinished character
        Assert.Equal("😀", Gpt2.Decode(tokens));
    }

    [Fact]
    public void BadTokensAndTextAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Gpt2.Decode([15496, 50257]));
        Assert.Equal("gpt2 vocabulary: token 50257 at position 1 is not one of the 50257 tokens", e.Message);
        Assert.Throws<ArgumentException>(() => Gpt2.Decode([-1]));
        var surrogate = Assert.Throws<ArgumentException>(() => Gpt2.Encode("ab\uD83D"));
        Assert.Equal("text: a lone UTF-16 surrogate at character 2 (not valid Unicode)", surrogate.Message);
    }
}

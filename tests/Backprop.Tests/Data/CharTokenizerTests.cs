using System.Text.Json;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class CharTokenizerTests
{
    [Fact]
    public void VocabularyIsTheDistinctCodePointsInCodePointOrder()
    {
        // U+1F600 (a surrogate pair in UTF-16, D83D DE00) sorts after U+FF01 by code point, though its UTF-16 units sort
        // before it; 'B' (U+0042) sorts before 'a' (U+0061), though a culture's order puts 'a' first.
        var tokenizer = CharTokenizer.FromText("a😀B\uFF01a😀");
        Assert.Equal(["B", "a", "\uFF01", "😀"], tokenizer.Vocabulary);
        Assert.Equal(4, tokenizer.VocabularySize);
    }

    [Fact]
    public void EncodesOneTokenPerCharacterAndDecodesBack()
    {
        var tokenizer = CharTokenizer.FromText("a😀B\uFF01");
        string text = "😀aB😀\uFF01";
        int[] tokens = tokenizer.Encode(text);
        Assert.Equal([3, 1, 0, 3, 2], tokens); // the emoji is one token, not two surrogates
        Assert.Equal(text, tokenizer.Decode(tokens));
    }

    [Fact]
    public void AnUnknownCharacterIsNamedWithItsPosition()
    {
        var tokenizer = CharTokenizer.FromText("ab😀");
        var e = Assert.Throws<ArgumentException>(() => tokenizer.Encode("a😀é"));
        Assert.Equal("text: 'é' (U+00E9) at character 2 is not in the vocabulary of 3 characters", e.Message); // the emoji before it is one character
        var newline = Assert.Throws<ArgumentException>(() => tokenizer.Encode("a\n"));
        Assert.Equal("text: U+000A at character 1 is not in the vocabulary of 3 characters", newline.Message);
        var token = Assert.Throws<ArgumentException>(() => tokenizer.Decode([1, 3]));
        Assert.Equal("char vocabulary: token 3 at position 1 is not one of the 3 tokens", token.Message);
    }

    [Fact]
    public void ALoneSurrogateIsNotText()
    {
        var e = Assert.Throws<ArgumentException>(() => CharTokenizer.FromText("ab\uD83D"));
        Assert.Equal("text: a lone UTF-16 surrogate at character 2 (not valid Unicode)", e.Message);
    }

    [Fact]
    public void VocabularyRoundTripsThroughJson()
    {
        var tokenizer = CharTokenizer.FromText("to be\n\"or\" 😀");
        string json = tokenizer.ToJson();
        using var document = JsonDocument.Parse(json); // {"name":"char","vocabulary":[...]}: the vocabulary a plain JSON array of strings
        Assert.Equal("char", document.RootElement.GetProperty("name").GetString());
        Assert.Equal(tokenizer.Vocabulary, document.RootElement.GetProperty("vocabulary").Deserialize<string[]>());
        var back = Assert.IsType<CharTokenizer>(Tokenizer.FromJson(json));
        Assert.Equal(tokenizer.Vocabulary, back.Vocabulary);
        Assert.Equal(tokenizer.Encode("be 😀\n"), back.Encode("be 😀\n"));
    }

    [Fact]
    public void AGivenVocabularyKeepsItsOrder()
    {
        var tokenizer = FromVocabularyJson("""["z","a"]""");
        Assert.Equal([1, 0], tokenizer.Encode("az"));
    }

    [Theory]
    [InlineData("""["a","b","a"]""", "char vocabulary: 'a' (U+0061) appears twice (entries 0 and 2)")]
    [InlineData("""["a","bc"]""", "char vocabulary: entry 1 (\"bc\") is not one character")]
    [InlineData("""["a",""]""", "char vocabulary: entry 1 (\"\") is not one character")]
    [InlineData("""[]""", "char vocabulary: no characters")]
    [InlineData("""["a",null]""", "char vocabulary: not a JSON array of strings")]
    [InlineData("""null""", "char vocabulary: not a JSON array of strings")]
    public void ABadVocabularyIsRefused(string json, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => FromVocabularyJson(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void JsonThatIsNotAnArrayOfStringsIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => FromVocabularyJson("""{"a":1}"""));
        Assert.Equal("char vocabulary: not a JSON array of strings", e.Message);
        var number = Assert.Throws<ArgumentException>(() => FromVocabularyJson("""["a",1]"""));
        Assert.Equal("char vocabulary: not a JSON array of strings", number.Message);
    }

    /// <summary>The char tokenizer whose model-file JSON records <paramref name="vocabulary"/>.</summary>
    internal static CharTokenizer FromVocabularyJson(string vocabulary) =>
        Assert.IsType<CharTokenizer>(Tokenizer.FromJson($$"""{"name":"char","vocabulary":{{vocabulary}}}"""));
}

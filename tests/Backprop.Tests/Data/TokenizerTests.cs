using Backprop.Data;

namespace Backprop.Tests.Data;

public class TokenizerTests
{
    [Fact]
    public void CreateBuildsEachTokenizerByName()
    {
        Assert.Equal(["char", "gpt2"], Tokenizer.Names);
        var chars = Assert.IsType<CharTokenizer>(Tokenizer.Create("char", "hello"));
        Assert.Equal(["e", "h", "l", "o"], chars.Vocabulary); // the text's own characters in code-point order
        Assert.Equal("char", chars.Name);
        var gpt2 = Assert.IsType<Gpt2Tokenizer>(Tokenizer.Create("gpt2", "hello")); // fixed: the text plays no part
        Assert.Equal(("gpt2", 50257), (gpt2.Name, gpt2.VocabularySize));
        var e = Assert.Throws<ArgumentException>(() => Tokenizer.Create("bpe", "hello"));
        Assert.Equal("tokenizer: unknown name \"bpe\" (expected char or gpt2)", e.Message);
    }

    [Fact]
    public void EachTokenizerRoundTripsThroughJson()
    {
        var chars = Tokenizer.Create("char", "ba\n");
        Assert.Equal("""{"name":"char","vocabulary":["\n","a","b"]}""", chars.ToJson());
        var back = Assert.IsType<CharTokenizer>(Tokenizer.FromJson(chars.ToJson()));
        Assert.Equal(["\n", "a", "b"], back.Vocabulary);

        Assert.Equal("""{"name":"gpt2"}""", new Gpt2Tokenizer().ToJson()); // GPT-2's vocabulary is fixed: the name says it all
        Assert.IsType<Gpt2Tokenizer>(Tokenizer.FromJson("""{"name":"gpt2"}"""));
    }

    [Theory]
    [InlineData("""["a","b"]""", "tokenizer: expected a JSON object with a \"name\", got a JSON array")]
    [InlineData("""{"vocabulary":["a"]}""", "tokenizer: the JSON object has no \"name\" string")]
    [InlineData("""{"name":7}""", "tokenizer: the JSON object has no \"name\" string")]
    [InlineData("""{"name":"word"}""", "tokenizer: unknown name \"word\" (expected char or gpt2)")]
    [InlineData("""{"name":"char"}""", "char vocabulary: not a JSON array of strings")]
    public void BadJsonIsRefusedInOneLine(string json, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizer.FromJson(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TextThatIsNotJsonIsRefusedInOneLine()
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizer.FromJson("{\"name\":"));
        Assert.StartsWith("tokenizer: not JSON (", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

using System.Text;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Tests.Data;

public class TextCorpusTests
{
    private static int[] Tokens(TokenSequence tokens) => [.. Enumerable.Range(0, tokens.Count).Select(i => tokens[i])];

    [Fact]
    public void ReadsAFileAsCharacterTokens()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("t.txt", Encoding.UTF8.GetBytes("ba😀\nab"));
        var corpus = TextCorpus.Read(path);
        Assert.Equal(["\n", "a", "b", "😀"], ((CharTokenizer)corpus.Tokenizer).Vocabulary);
        Assert.Equal([2, 1, 3, 0, 1, 2], Tokens(corpus.Tokens));
        Assert.Equal(path, corpus.Name);
        Assert.Equal(2, corpus.Tokens.BytesPerToken);
    }

    [Fact]
    public void SplitsNinetyTenInFileOrder()
    {
        // nanoGPT: n = len(data); train = data[:int(n*0.9)], val = data[int(n*0.9):]. 25 characters: int(22.5) = 22 and 3.
        var corpus = TextCorpus.FromString("abcdefghijklmnopqrstuvwxy");
        Assert.Equal(22, corpus.Train.Count);
        Assert.Equal(3, corpus.Validation.Count);
        Assert.Equal(Enumerable.Range(0, 22), Tokens(corpus.Train));
        Assert.Equal([22, 23, 24], Tokens(corpus.Validation));
        Assert.Equal("text (training split)", corpus.Train.Name);
        Assert.Equal("text (validation split)", corpus.Validation.Name);
        // 10 characters: int(9.0) = 9 and 1.
        var ten = TextCorpus.FromString("0123456789");
        Assert.Equal((9, 1), (ten.Train.Count, ten.Validation.Count));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0xFF, 0x63 }, 2, 0xFF)]             // a byte that never starts a character
    [InlineData(new byte[] { 0xC3, 0xA9, 0xE2, 0x82, 0x41 }, 2, 0xE2)]      // 'é', then a three-byte character cut short by 'A'
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, 1, 0xE2)]                  // the text ends inside a character
    [InlineData(new byte[] { 0x61, 0xED, 0xA0, 0xBD }, 1, 0xED)]            // an encoded surrogate (CESU-8), not UTF-8
    public void BytesThatAreNotUtf8AreNamedByTheirOffset(byte[] bytes, int offset, int value)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("bad.txt", bytes);
        var e = Assert.Throws<DataFileException>(() => TextCorpus.Read(path));
        Assert.Equal($"{path}: is not valid UTF-8: byte 0x{value:X2} at byte offset {offset} does not start a well-formed character", e.Message);
    }

    [Fact]
    public void AnEmptyTextIsAnError()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("empty.txt", []);
        Assert.Equal($"{path}: is empty (expected text)", Assert.Throws<DataFileException>(() => TextCorpus.Read(path)).Message);
        Assert.Equal("notes: is empty (expected text)", Assert.Throws<DataFileException>(() => TextCorpus.FromString("", "notes")).Message);
    }

    [Fact]
    public void AMissingFileIsAnError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("missing.txt");
        Assert.StartsWith($"{path}: cannot be read (", Assert.Throws<DataFileException>(() => TextCorpus.Read(path)).Message);
    }

    [Fact]
    public void ALoneSurrogateInAStringIsAnError()
    {
        var e = Assert.Throws<DataFileException>(() => TextCorpus.FromString("ab\uDE00c"));
        Assert.Equal("text: has a lone UTF-16 surrogate at UTF-16 index 2 (not valid Unicode)", e.Message);
    }

    [Fact]
    public void AByteOrderMarkIsACharacter()
    {
        // Python's open(...).read() (nanoGPT's prepare.py) keeps U+FEFF as a character too.
        var corpus = TextCorpus.FromUtf8([0xEF, 0xBB, 0xBF, 0x61], "bom.txt");
        Assert.Equal(["a", "\uFEFF"], ((CharTokenizer)corpus.Tokenizer).Vocabulary);
        Assert.Equal([1, 0], Tokens(corpus.Tokens));
    }

    [Fact]
    public void AGivenTokenizerEncodesTheText()
    {
        var tokenizer = CharTokenizerTests.FromVocabularyJson("""["c","b","a","!"]""");
        var corpus = TextCorpus.FromString("abca", "eval.txt", tokenizer);
        Assert.Same(tokenizer, corpus.Tokenizer);
        Assert.Equal([2, 1, 0, 2], Tokens(corpus.Tokens));
        var e = Assert.Throws<DataFileException>(() => TextCorpus.FromString("abéa", "eval.txt", tokenizer));
        Assert.Equal("eval.txt: 'é' (U+00E9) at character 2 (byte offset 2) is not in the vocabulary of 4 characters", e.Message);
    }

    [Fact]
    public void Gpt2EncodesTheWholeTextInTwoBytesAToken()
    {
        var gpt2 = new Gpt2Tokenizer();
        var corpus = TextCorpus.FromString("Hello world, hello world, hello world, hello world!", "hello.txt", gpt2);
        Assert.Same(gpt2, corpus.Tokenizer);
        Assert.Equal(gpt2.Encode("Hello world, hello world, hello world, hello world!"), Tokens(corpus.Tokens));
        Assert.Equal([15496, 995, 11], Tokens(corpus.Tokens)[..3]); // "Hello", " world", ","
        Assert.Equal(2, corpus.Tokens.BytesPerToken); // 50,257 tokens fit two bytes
        Assert.Equal((int)(corpus.Tokens.Count * 0.9), corpus.Train.Count);
        var e = Assert.Throws<DataFileException>(() => TextCorpus.FromUtf8([0x61, 0xC3], "cut.txt", gpt2));
        Assert.Equal("cut.txt: is not valid UTF-8: byte 0xC3 at byte offset 1 does not start a well-formed character", e.Message);
    }

    [Fact]
    public void MoreThan65536CharactersTakeFourBytesEach()
    {
        // 65,537 distinct code points, U+10000 to U+20000: one more than two bytes can number.
        var text = new StringBuilder();
        for (int c = 0x10000; c <= 0x20000; c++) text.Append(char.ConvertFromUtf32(c));
        text.Append(char.ConvertFromUtf32(0x20000));
        var corpus = TextCorpus.FromString(text.ToString());
        Assert.Equal(65537, corpus.Tokenizer.VocabularySize);
        Assert.Equal(4, corpus.Tokens.BytesPerToken);
        Assert.Equal(65538, corpus.Tokens.Count);
        Assert.Equal((0, 65536, 65536), (corpus.Tokens[0], corpus.Tokens[65536], corpus.Tokens[65537]));
        Assert.Equal(4, corpus.Validation.BytesPerToken);
    }

    [Fact]
    [Trait("Category", "Dataset")]
    public void TinyShakespeareHasNanoGptsCounts()
    {
        // The counts nanoGPT's data/shakespeare_char/prepare.py prints for this file.
        var corpus = TextCorpus.Read(Repository.File("../shared/data/text/tinyshakespeare.txt"));
        Assert.Equal(65, corpus.Tokenizer.VocabularySize);
        Assert.Equal("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", string.Concat(((CharTokenizer)corpus.Tokenizer).Vocabulary));
        Assert.Equal(1_115_394, corpus.Tokens.Count);
        Assert.Equal(1_003_854, corpus.Train.Count);
        Assert.Equal(111_540, corpus.Validation.Count);
        Assert.Equal(2, corpus.Tokens.BytesPerToken);
        Assert.Equal("First Citizen:", corpus.Tokenizer.Decode(Tokens(corpus.Tokens)[..14]));
    }

    [Fact]
    [Trait("Category", "Dataset")]
    public void TinyShakespeareHasNanoGptsGpt2Count()
    {
        // nanoGPT's data/shakespeare/prepare.py prints "train has 301,966 tokens" and "val has 36,059 tokens" (it encodes the
        // two parts of the text apart; here the whole text is encoded at once, and the total is the same).
        var corpus = TextCorpus.Read(Repository.File("../shared/data/text/tinyshakespeare.txt"), new Gpt2Tokenizer());
        Assert.Equal(301_966 + 36_059, corpus.Tokens.Count);
        Assert.Equal("First Citizen:", corpus.Tokenizer.Decode(Tokens(corpus.Tokens)[..3]));
    }
}

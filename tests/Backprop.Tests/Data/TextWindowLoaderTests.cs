using Backprop.Data;

namespace Backprop.Tests.Data;

public class TextWindowLoaderTests
{
    // 26 letters in order: token i is letter i, so a window's tokens are its offset onwards.
    private static readonly TokenSequence Alphabet = TextCorpus.FromString("abcdefghijklmnopqrstuvwxyz", "alphabet").Tokens;

    private static long[][] Rows(Tensor t)
    {
        long[] values = t.ToInt64Array();
        int width = t.Shape[1];
        return [.. Enumerable.Range(0, t.Shape[0]).Select(r => values[(r * width)..((r + 1) * width)])];
    }

    [Fact]
    public void InOrderBatchesTakeConsecutiveWindowsAndWrap()
    {
        var loader = new TextWindowLoader(Alphabet, batchSize: 2, blockSize: 3, shuffle: false);
        Assert.Equal(8, loader.WindowCount); // ⌊(26 − 1) / 3⌋: window 7 is tokens 21–23, its targets 22–24
        var first = loader.NextBatch();
        Assert.Equal(DType.Int64, first.Features.DType);
        Assert.Equal([2, 3], first.Features.Shape.ToArray());
        Assert.Equal([2, 3], first.Targets.Shape.ToArray());
        Assert.Equal([[0L, 1, 2], [3, 4, 5]], Rows(first.Features));   // windows (0·2 + b)·3
        Assert.Equal([[1L, 2, 3], [4, 5, 6]], Rows(first.Targets));
        var second = loader.NextBatch();
        Assert.Equal([[6L, 7, 8], [9, 10, 11]], Rows(second.Features)); // windows (1·2 + b)·3
        Assert.Equal([[7L, 8, 9], [10, 11, 12]], Rows(second.Targets));
        loader.NextBatch();
        var fourth = loader.NextBatch();
        Assert.Equal([[18L, 19, 20], [21, 22, 23]], Rows(fourth.Features));
        Assert.Equal([[19L, 20, 21], [22, 23, 24]], Rows(fourth.Targets));
        Assert.Equal(4, loader.Step);
        var fifth = loader.NextBatch(); // windows 8 and 9 wrap to 0 and 1
        Assert.Equal(Rows(first.Features), Rows(fifth.Features));
        Assert.Equal(Rows(first.Targets), Rows(fifth.Targets));
    }

    [Fact]
    public void AWrapMayFallInsideABatch()
    {
        // 3 windows of 3 in 10 tokens, batches of 2: batch 1 takes windows 2 and 3 mod 3 = 0.
        var tokens = TextCorpus.FromString("abcdefghij").Tokens;
        var loader = new TextWindowLoader(tokens, batchSize: 2, blockSize: 3, shuffle: false) { Step = 1 };
        Assert.Equal([[6L, 7, 8], [0, 1, 2]], Rows(loader.NextBatch().Features));
    }

    [Fact]
    public void StepResumesTheOrder()
    {
        var loader = new TextWindowLoader(Alphabet, batchSize: 2, blockSize: 3, shuffle: false);
        for (int s = 0; s < 3; s++) loader.NextBatch();
        var resumed = new TextWindowLoader(Alphabet, batchSize: 2, blockSize: 3, shuffle: false) { Step = 3 };
        Assert.Equal(Rows(loader.NextBatch().Features), Rows(resumed.NextBatch().Features));
    }

    [Fact]
    public void ShuffledOffsetsAreDrawnUniformlyByTheGenerator()
    {
        // nanoGPT's torch.randint(len(data) - block_size, (batch_size,)): offsets in [0, 26 − 3) = [0, 23), one
        // NextInt(23) per window, in batch order.
        var loader = new TextWindowLoader(Alphabet, batchSize: 4, blockSize: 3, shuffle: true, new Generator(7));
        var expected = new Generator(7);
        var seen = new HashSet<long>();
        for (int s = 0; s < 100; s++)
        {
            var batch = loader.NextBatch();
            var inputs = Rows(batch.Features);
            var targets = Rows(batch.Targets);
            for (int b = 0; b < 4; b++)
            {
                long offset = expected.NextInt(23);
                Assert.Equal([offset, offset + 1, offset + 2], inputs[b]);
                Assert.Equal([offset + 1, offset + 2, offset + 3], targets[b]);
                seen.Add(offset);
            }
        }
        Assert.Equal(23, seen.Count); // every offset, the last (22, whose targets end at the last token) included
    }

    [Fact]
    public void TheSameSeedGivesTheSameBatches()
    {
        var corpus = TextCorpus.FromString(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 20)));
        var a = new TextWindowLoader(corpus.Train, 8, 16, generator: new Generator(3));
        var b = new TextWindowLoader(corpus.Train, 8, 16, generator: new Generator(3));
        var c = new TextWindowLoader(corpus.Train, 8, 16, generator: new Generator(4));
        Assert.True(a.Shuffle);
        for (int s = 0; s < 5; s++)
        {
            var (x, y, z) = (a.NextBatch(), b.NextBatch(), c.NextBatch());
            Assert.Equal(x.Features.ToInt64Array(), y.Features.ToInt64Array());
            Assert.Equal(x.Targets.ToInt64Array(), y.Targets.ToInt64Array());
            Assert.NotEqual(x.Features.ToInt64Array(), z.Features.ToInt64Array());
        }
    }

    [Fact]
    public void ATextTooShortForOneWindowSaysHowManyTokensAreNeeded()
    {
        var e = Assert.Throws<ArgumentException>(() => new TextWindowLoader(TextCorpus.FromString("abcd").Tokens, 1, 4));
        Assert.Equal("text: 4 tokens, but a window of 4 tokens and its next-token targets need 5", e.Message);
        var validation = TextCorpus.FromString("abcdefghij", "ten.txt").Validation;
        var split = Assert.Throws<ArgumentException>(() => new TextWindowLoader(validation, 1, 1));
        Assert.Equal("ten.txt (validation split): 1 tokens, but a window of 1 tokens and its next-token targets need 2", split.Message);
        _ = new TextWindowLoader(TextCorpus.FromString("abcde").Tokens, 1, 4); // T + 1 tokens: one window
    }

    [Theory]
    [InlineData(0, 3, "text batches: batch size must be at least 1, got 0")]
    [InlineData(2, 0, "text batches: block size must be at least 1, got 0")]
    public void BadSizesAreRefused(int batchSize, int blockSize, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new TextWindowLoader(Alphabet, batchSize, blockSize)).Message);
}

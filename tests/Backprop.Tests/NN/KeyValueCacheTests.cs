using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>The GPT's key/value cache gives the logits a full forward over the same context gives.</summary>
public class KeyValueCacheTests
{
    private static GPT SmallGpt() => (GPT)new GPT(vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, generator: new Generator(3)).Eval();

    private static Tensor Tokens(int batch, params long[] tokens) => Tensor.FromArray(tokens, new Shape(batch, tokens.Length / batch));

    /// <summary>Column <paramref name="t"/> of logits [B, T, V], as [B, V] values.</summary>
    private static double[] Position(Tensor logits, int t) => logits.Slice(1, t, t + 1).ToDoubleArray();

    [Fact]
    public void EachCachedStepEqualsAFullForward()
    {
        var gpt = SmallGpt();
        long[][] rows = [[3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]];
        var cache = gpt.NewCache();
        // The first three positions at once, then one at a time, then the last two at once (a block of new positions that
        // follows cached ones needs the causal mask shifted by the cache).
        int[] chunks = [3, 1, 1, 1, 2];
        int start = 0;
        foreach (int chunk in chunks)
        {
            var step = gpt.Forward(Tokens(2, [.. rows.SelectMany(r => r[start..(start + chunk)])]), cache);
            var full = gpt.Forward(Tokens(2, [.. rows.SelectMany(r => r[..(start + chunk)])]));
            for (int i = 0; i < chunk; i++) AssertClose(Position(full, start + i), Position(step, i), 1e-5);
            start += chunk;
            Assert.All(cache, layer => Assert.Equal(start, layer.Length));
            Assert.Equal(new Shape(2, 2, start, 8), cache[1].Keys!.Shape); // [B, n_head, positions, head size]
        }
    }

    [Fact]
    public void TheCacheCannotPassTheBlockSize()
    {
        var gpt = SmallGpt();
        var cache = gpt.NewCache();
        gpt.Forward(Tokens(1, 1, 2, 3, 4, 5, 6, 7), cache);
        var e = Assert.Throws<ArgumentException>(() => gpt.Forward(Tokens(1, 1, 2), cache));
        Assert.Equal("GPT: cannot forward 2 more positions after 7 cached ones, block_size is only 8", e.Message);
        foreach (var layer in cache) layer.Clear();
        Assert.Equal(0, cache[0].Length);
        AssertClose(Position(gpt.Forward(Tokens(1, 4, 2)), 1), Position(gpt.Forward(Tokens(1, 4, 2), cache), 1), 1e-5);
    }

    [Fact]
    public void TheCacheRecordsNoGraphUnderNoGrad()
    {
        var gpt = SmallGpt();
        var cache = gpt.NewCache();
        using (new Backprop.Autograd.NoGrad()) gpt.Forward(Tokens(1, 1, 2, 3), cache);
        Assert.All(cache, layer => Assert.Null(layer.Keys!.GradFn));
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: {actual[i]} differs from {expected[i]} by more than {tolerance}");
    }
}

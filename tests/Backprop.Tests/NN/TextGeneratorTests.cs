using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>nanoGPT's sampling (temperature, top-k, greedy), seeded; the cache and the carried state change no token.</summary>
public class TextGeneratorTests
{
    /// <summary>A model whose logits are <paramref name="row"/> at every position, whatever the tokens.</summary>
    private sealed class FixedLogits(double[] row) : Module
    {
        public override Tensor Forward(Tensor input)
        {
            int t = input.Shape[1];
            return Tensor.FromArray([.. Enumerable.Repeat(row, t).SelectMany(r => r)], new Shape(1, t, row.Length));
        }
    }

    // Softmax of ln 1, ln 2, ln 3, ln 4 is 0.1, 0.2, 0.3, 0.4.
    private static readonly double[] Logs = [Math.Log(1), Math.Log(2), Math.Log(3), Math.Log(4)];

    private static GPT SmallGpt() => new(vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, generator: new Generator(3));

    private static Sequential SmallLstmGru() => new(
        new Embedding(11, 8, generator: new Generator(4)),
        new LSTM(8, 12, numLayers: 2, batchFirst: true, generator: new Generator(5)),
        new Dropout(0.5),
        new GRU(12, 10, batchFirst: true, generator: new Generator(6)),
        new Linear(10, 11, generator: new Generator(7)));

    private static double[] Frequencies(IEnumerable<int> tokens, int vocabulary)
    {
        var counts = new double[vocabulary];
        int n = 0;
        foreach (int token in tokens) { counts[token]++; n++; }
        return [.. counts.Select(c => c / n)];
    }

    [Fact]
    public void SamplesFromTheSoftmaxOfTheLogitsOverTheTemperature()
    {
        var generator = new TextGenerator(new FixedLogits(Logs), blockSize: 4);
        var seen = Frequencies(generator.Generate([0], 20_000, generator: new Generator(1)), 4);
        KeyValueCacheTests.AssertClose([0.1, 0.2, 0.3, 0.4], seen, 0.02);
        // Temperature 2 takes the square root of each weight: √1 : √2 : √3 : √4, divided by their sum 6.1463.
        var hot = Frequencies(generator.Generate([0], 20_000, temperature: 2, generator: new Generator(2)), 4);
        KeyValueCacheTests.AssertClose([0.1627, 0.2301, 0.2818, 0.3254], hot, 0.02);
    }

    [Fact]
    public void TopKKeepsOnlyTheKLargestLogits()
    {
        var generator = new TextGenerator(new FixedLogits(Logs), blockSize: 4);
        // Top-2 keeps ln 3 and ln 4: 3/7 and 4/7.
        var seen = Frequencies(generator.Generate([0], 20_000, topK: 2, generator: new Generator(1)), 4);
        KeyValueCacheTests.AssertClose([0, 0, 3.0 / 7, 4.0 / 7], seen, 0.02);
        Assert.Equal([0.0, 0.0], seen[..2]);
        Assert.Equal(Enumerable.Repeat(3, 50), generator.Generate([0], 50, topK: 1)); // greedy: the largest logit, always
    }

    [Fact]
    public void TopKOneIsTheArgmaxOfTheFullForwardAtEveryStep()
    {
        var gpt = SmallGpt();
        var tokens = new List<int> { 1, 2 };
        foreach (int token in new TextGenerator(gpt).Generate([1, 2], 12, topK: 1))
        {
            var context = tokens.Skip(Math.Max(0, tokens.Count - 8)).Select(t => (long)t).ToArray(); // nanoGPT's crop
            var logits = gpt.Forward(Tensor.FromArray(context, new Shape(1, context.Length)));
            double[] last = logits.Slice(1, context.Length - 1, context.Length).ToDoubleArray();
            Assert.Equal(Array.IndexOf(last, last.Max()), token);
            tokens.Add(token);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameTokens()
    {
        var generator = new TextGenerator(SmallGpt());
        int[] first = [.. generator.Generate([1], 20, temperature: 0.8, topK: 5, generator: new Generator(42))];
        int[] again = [.. generator.Generate([1], 20, temperature: 0.8, topK: 5, generator: new Generator(42))];
        int[] other = [.. generator.Generate([1], 20, temperature: 0.8, topK: 5, generator: new Generator(43))];
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void TheGptCacheChangesNoLogitAndNoToken()
    {
        // 3 prompt tokens and 20 more pass the block size of 8: the cached source then recomputes its cropped window.
        var gpt = SmallGpt();
        var cached = NextTokenLogits.For(gpt, null, useCache: true);
        var recomputed = NextTokenLogits.For(gpt, null, useCache: false);
        Assert.IsType<CachedGptLogits>(cached);
        Assert.IsType<WindowLogits>(recomputed);
        AssertSameLogits(cached, recomputed, [4, 0, 7], steps: 20);
        int[] withCache = [.. new TextGenerator(gpt).Generate([4, 0, 7], 20, generator: new Generator(9))];
        int[] without = [.. new TextGenerator(gpt, useCache: false).Generate([4, 0, 7], 20, generator: new Generator(9))];
        Assert.Equal(without, withCache);
    }

    [Fact]
    public void ARecurrentNetworkCarriesItsStateAndChangesNoLogit()
    {
        // Within the block size (here 40 tokens) recomputing the whole text equals carrying the state.
        var network = SmallLstmGru();
        var carried = NextTokenLogits.For(network, null, useCache: true);
        Assert.IsType<RecurrentLogits>(carried);
        AssertSameLogits(carried, NextTokenLogits.For(network, 40, useCache: false), [3, 3, 9], steps: 30);
        int[] withState = [.. new TextGenerator(network).Generate([3, 3, 9], 30, generator: new Generator(9))];
        int[] without = [.. new TextGenerator(network, blockSize: 40, useCache: false).Generate([3, 3, 9], 30, generator: new Generator(9))];
        Assert.Equal(without, withState);
        Assert.True(network.IsTraining); // evaluation mode (no dropout) only while generating
    }

    [Fact]
    public void ANetworkThatIsNotBatchFirstRecomputes()
    {
        var network = new Sequential(new Embedding(5, 4), new GRU(4, 4), new Linear(4, 5));
        Assert.IsType<WindowLogits>(NextTokenLogits.For(network, 8, useCache: true));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var generator = new TextGenerator(SmallGpt());
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], 0)).ParamName);
        foreach (double temperature in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], 5, temperature)).ParamName);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], 5, topK: 0));
        Assert.Equal("top-k must be at least 1, got 0 (Parameter 'topK')", zero.Message);
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], 5, topK: 12));
        Assert.Equal("top-k must be between 1 and the vocabulary size 11, got 12 (Parameter 'topK')", above.Message);
        Assert.Single(generator.Generate([1], 5, topK: 11).Take(1)); // the whole vocabulary is allowed
        Assert.Throws<ArgumentException>(() => generator.Generate([], 5));
        var block = Assert.Throws<ArgumentOutOfRangeException>(() => new TextGenerator(SmallGpt(), blockSize: 9));
        Assert.Equal("block size 9 is above the GPT's block_size 8 (Parameter 'blockSize')", block.Message);
        var none = Assert.Throws<ArgumentException>(() => new TextGenerator(new FixedLogits(Logs)));
        Assert.StartsWith("TextGenerator: FixedLogits needs a block size", none.Message);
    }

    /// <summary>Both sources give the same logits (within 1e-5) after the prompt and after each of <paramref name="steps"/> tokens fed to both.</summary>
    private static void AssertSameLogits(NextTokenLogits source, NextTokenLogits reference, int[] prompt, int steps)
    {
        double[] expected = reference.Start(prompt), actual = source.Start(prompt);
        var generator = new Generator(11);
        for (int step = 0; ; step++)
        {
            KeyValueCacheTests.AssertClose(expected, actual, 1e-5);
            if (step == steps) break;
            int token = generator.NextInt(expected.Length);
            (expected, actual) = (reference.Next(token), source.Next(token));
        }
    }
}

using Backprop.Autograd;
using Backprop.Explain;
using Backprop.NN;

namespace Backprop.Tests.Explain;

public class AttentionMapsTests
{
    private static readonly int[] Tokens = [1, 5, 2, 7, 3];

    /// <summary>softmax(q·kᵀ/√d (+ causal mask)) written out in double from one head's queries and keys [T, d].</summary>
    private static double[,] Softmax(double[][] q, double[][] k, bool causal)
    {
        int t = q.Length, d = q[0].Length;
        var p = new double[t, k.Length];
        for (int i = 0; i < t; i++)
        {
            int seen = causal ? i + 1 : k.Length;
            var scores = Enumerable.Range(0, seen).Select(j => Enumerable.Range(0, d).Sum(c => q[i][c] * k[j][c]) / Math.Sqrt(d)).ToArray();
            double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
            for (int j = 0; j < seen; j++) p[i, j] = Math.Exp(scores[j] - max) / sum;
        }
        return p;
    }

    /// <summary>Rows [T, width] of x [1, T, C] from column <paramref name="start"/>.</summary>
    private static double[][] Columns(Tensor x, int start, int width)
    {
        int t = x.Shape[1], c = x.Shape[2];
        var values = x.ToDoubleArray();
        return [.. Enumerable.Range(0, t).Select(i => values.AsSpan(i * c + start, width).ToArray())];
    }

    private static void AssertEqual(double[,] expected, double[,] actual)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++) Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-6, $"[{i},{j}]: expected {expected[i, j]}, got {actual[i, j]}");
        }
    }

    private static void AssertRowsSumToOne(double[,] map)
    {
        for (int i = 0; i < map.GetLength(0); i++) Assert.Equal(1, Enumerable.Range(0, map.GetLength(1)).Sum(j => map[i, j]), 6);
    }

    /// <summary>
    /// A small random GPT's maps, each recomputed from the block's own queries and keys: c_attn over ln_1 of the block's
    /// input, split into heads as nanoGPT does (q, k, v; head h is columns h·hs … h·hs + hs − 1 of each).
    /// </summary>
    [Fact]
    public void AGptsMapsAreEachBlocksCausalSoftmaxOfItsOwnQueriesAndKeys()
    {
        const int Embd = 8, Heads = 2, HeadSize = Embd / Heads;
        var gpt = new GPT(vocabSize: 11, blockSize: 8, nLayer: 2, nHead: Heads, nEmbd: Embd, generator: new Generator(3));
        var maps = AttentionMaps.Of(gpt, Tokens);

        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], maps.Select(m => (m.Layer, m.Head)));
        Assert.True(gpt.IsTraining); // back in the mode it was in
        using var _ = new NoGrad();
        var x = gpt.Transformer.Wte.Forward(Tensor.FromArray([.. Tokens.Select(t => (long)t)], new Shape(1, Tokens.Length)))
            + gpt.Transformer.Wpe.Forward(Tensor.Arange(0, Tokens.Length, dtype: DType.Int64));
        foreach (var block in gpt.Transformer.H.Layers.Cast<GPTBlock>())
        {
            var qkv = block.Attn.CAttn.Forward(block.Ln1.Forward(x));
            foreach (var map in maps.Where(m => m.Layer == gpt.Transformer.H.Layers.ToList().IndexOf(block)))
            {
                AssertRowsSumToOne(map.Weights);
                for (int i = 0; i < Tokens.Length; i++)
                {
                    for (int j = i + 1; j < Tokens.Length; j++) Assert.Equal(0, map.Weights[i, j]);
                }
                AssertEqual(Softmax(Columns(qkv, map.Head * HeadSize, HeadSize), Columns(qkv, Embd + map.Head * HeadSize, HeadSize), causal: true), map.Weights);
            }
            x = block.Forward(x);
        }
    }

    /// <summary>A MultiheadAttention after an embedding: self-attention without a mask, q = x·W_qᵀ + b_q and k = x·W_kᵀ + b_k per head.</summary>
    [Fact]
    public void AMultiheadAttentionsMapsAreTheSoftmaxOfItsProjections()
    {
        const int Embd = 6, Heads = 3, HeadSize = Embd / Heads;
        var embedding = new Embedding(11, Embd, generator: new Generator(4));
        var attention = new MultiheadAttention(Embd, Heads, batchFirst: true, generator: new Generator(5));
        using (new NoGrad()) attention.InProjBias!.CopyInPlace(Tensor.Arange(0, 3 * Embd) * 0.05); // biases that matter
        var maps = AttentionMaps.Of(new Sequential(embedding, attention), Tokens);

        Assert.Equal(Heads, maps.Count);
        using var _ = new NoGrad();
        var x = embedding.Forward(Tensor.FromArray([.. Tokens.Select(t => (long)t)], new Shape(1, Tokens.Length)));
        var projected = x.Linear(attention.InProjWeight, attention.InProjBias); // [1, T, 3E]: q, k, v
        foreach (var map in maps)
        {
            Assert.Equal(0, map.Layer);
            AssertRowsSumToOne(map.Weights);
            AssertEqual(Softmax(Columns(projected, map.Head * HeadSize, HeadSize), Columns(projected, Embd + map.Head * HeadSize, HeadSize), causal: false), map.Weights);
        }
    }

    [Fact]
    public void ABatchOfSequencesIsRefused()
    {
        var gpt = new GPT(vocabSize: 11, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8, generator: new Generator(3));
        var error = Assert.Throws<ArgumentException>(() => AttentionMaps.Of(gpt, Tensor.FromArray([1L, 2, 3, 4], new Shape(2, 2))));
        Assert.StartsWith("attention maps: attention call 0 attended over 2 sequences at once", error.Message);
    }

    [Fact]
    public void AModelWithoutAttentionIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionMaps.Of(new Sequential(new Embedding(11, 4)), Tokens));
        Assert.Equal("attention maps: Sequential computed no scaled dot-product attention", error.Message);
    }
}

using Backprop.Autograd;
using Backprop.NN;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.NN;

/// <summary>MultiheadAttention as a module (PyTorch's parameter names, shapes, initialisation and layouts) and in the architecture text.</summary>
public class MultiheadAttentionTests
{
    private static void Close(double[] expected, Tensor actual, int digits = 12)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], digits);
    }

    /// <summary>A float64 layer of E = 4 over 2 heads whose biases are random too, so that a forgotten bias would show.</summary>
    private static MultiheadAttention Layer(bool batchFirst = false)
    {
        var layer = new MultiheadAttention(4, 2, batchFirst: batchFirst, dtype: DType.Float64, generator: new Generator(1));
        var g = new Generator(2);
        layer.LoadStateDict(layer.StateDict().ToDictionary(entry => entry.Key, entry => entry.Key.EndsWith("bias") ? Uniform(g, [.. entry.Value.Shape.Dims]) : entry.Value));
        return layer;
    }

    [Fact]
    public void ParametersHavePyTorchsNamesShapesAndInitialisation()
    {
        var layer = new MultiheadAttention(64, 8, generator: new Generator(3));
        var state = layer.StateDict();
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], state.Keys);
        Assert.Equal([new Shape(192, 64), new Shape(192), new Shape(64, 64), new Shape(64)], state.Values.Select(t => t.Shape));
        Assert.All(state["in_proj_bias"].ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.All(state["out_proj.bias"].ToDoubleArray(), v => Assert.Equal(0, v));
        // Xavier-uniform over fan_in 64 and fan_out 192: bound √(6 / 256); 12 288 draws come within 2% of it.
        var inProj = state["in_proj_weight"].ToDoubleArray();
        double bound = Math.Sqrt(6.0 / 256);
        Assert.All(inProj, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.InRange(inProj.Max(v => Math.Abs(v)), 0.98 * bound, bound);
        // out_proj.weight keeps Linear's initialisation, uniform in ±1/√64.
        var outProj = state["out_proj.weight"].ToDoubleArray();
        Assert.InRange(outProj.Max(v => Math.Abs(v)), 0.98 / 8, 1.0 / 8);

        var noBias = new MultiheadAttention(6, 3, bias: false);
        Assert.Equal(["in_proj_weight", "out_proj.weight"], noBias.StateDict().Keys);
        Assert.Null(noBias.InProjBias);
        Assert.Equal((6, 3, false), (noBias.EmbedDim, noBias.NumHeads, noBias.BatchFirst));
    }

    /// <summary>
    /// The layer against its definition written out with ops, for input [L = 3, N = 2, E = 4]: for each sequence n,
    /// q, k, v = x·W_{q,k,v}ᵀ + b_{q,k,v} (the thirds of in_proj); head h attends with its two columns [2h, 2h + 2);
    /// the heads' outputs side by side go through out_proj.
    /// </summary>
    [Fact]
    public void SelfAttentionMatchesItsDefinitionHeadByHead()
    {
        var layer = Layer();
        var x = Uniform(new Generator(4), [3, 2, 4]);
        var y = layer.Forward(x);
        Assert.Equal(new Shape(3, 2, 4), y.Shape);
        var w = layer.InProjWeight;
        var b = layer.InProjBias!;
        for (int n = 0; n < 2; n++)
        {
            var sequence = x.Slice(1, n, n + 1).Squeeze(1);
            var q = sequence.Linear(w.Slice(0, 0, 4), b.Slice(0, 0, 4));
            var k = sequence.Linear(w.Slice(0, 4, 8), b.Slice(0, 4, 8));
            var v = sequence.Linear(w.Slice(0, 8, 12), b.Slice(0, 8, 12));
            var heads = Enumerable.Range(0, 2).Select(h => Attention.ScaledDotProductAttention(q.Slice(1, 2 * h, 2 * h + 2), k.Slice(1, 2 * h, 2 * h + 2), v.Slice(1, 2 * h, 2 * h + 2)));
            var expected = layer.OutProj.Forward(Shaping.Cat([.. heads], 1));
            Close(expected.ToDoubleArray(), y.Slice(1, n, n + 1));
        }
    }

    [Fact]
    public void BatchFirstAndUnbatchedInputsGiveTheSameSequences()
    {
        var x = Uniform(new Generator(5), [3, 2, 4]);
        var y = Layer().Forward(x);
        Close(y.Transpose(0, 1).ToDoubleArray(), Layer(batchFirst: true).Forward(x.Transpose(0, 1)));
        var one = Layer().Forward(x.Slice(1, 1, 2).Squeeze(1));
        Assert.Equal(new Shape(3, 4), one.Shape);
        Close(y.Slice(1, 1, 2).ToDoubleArray(), one);
    }

    /// <summary>Causal: position 0 sees itself only, so its output is that of the sequence cut to its first position; the last position sees everything.</summary>
    [Fact]
    public void CausalPositionZeroIgnoresTheRestOfTheSequence()
    {
        var layer = Layer(batchFirst: true);
        var x = Uniform(new Generator(6), [2, 5, 4]);
        var causal = layer.Forward(x, x, x, isCausal: true);
        Close(layer.Forward(x.Slice(1, 0, 1)).ToDoubleArray(), causal.Slice(1, 0, 1));
        Close(layer.Forward(x).Slice(1, 4, 5).ToDoubleArray(), causal.Slice(1, 4, 5));
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        var layer = Layer();
        var g = new Generator(7);
        var result = GradCheck.Check(t => layer.Forward(t[0], t[1], t[1]), [Uniform(g, [3, 2, 4]), Uniform(g, [5, 2, 4])]);
        Assert.True(result.Passed, result.Message);
        layer.Forward(Uniform(g, [3, 2, 4])).Sum().Backward();
        Assert.All(layer.Parameters(), p => Assert.Contains(p.Grad!.ToDoubleArray(), v => v != 0));
    }

    [Fact]
    public void BadSizesAndInputsAreNamed()
    {
        Assert.Equal("MultiheadAttention: embed_dim 10 must be divisible by num_heads 3",
            Assert.Throws<ArgumentException>(() => new MultiheadAttention(10, 3)).Message);
        Assert.Equal("MultiheadAttention: query of shape [3,2,5] is not [L, N, E] or [L, E] with E = embed_dim 4",
            Assert.Throws<ArgumentException>(() => Layer().Forward(Tensor.Zeros([3, 2, 5], DType.Float64))).Message);
        Assert.Equal("MultiheadAttention: key and value must have one shape, and the query's rank and batch size, got query [3,2,4], key [3,1,4] and value [3,1,4]",
            Assert.Throws<ArgumentException>(() => Layer().Forward(Tensor.Zeros([3, 2, 4], DType.Float64), Tensor.Zeros([3, 1, 4], DType.Float64), Tensor.Zeros([3, 1, 4], DType.Float64))).Message);
    }

    [Fact]
    public void ALanguageModelsLayersChainInTheArchitectureText()
    {
        var architecture = Architecture.Parse("Embedding(10, 4), MultiheadAttention(4, 2, batch_first=True), LayerNorm(4), Linear(4, 10)");
        Assert.Equal([5, 10], architecture.OutputShape([5]));
        var model = architecture.Build(new Generator(2));
        Assert.Equal(["0.weight", "1.in_proj_weight", "1.in_proj_bias", "1.out_proj.weight", "1.out_proj.bias", "2.weight", "2.bias", "3.weight", "3.bias"], model.StateDict().Keys);
        Assert.Equal(new Shape(2, 3, 10), model.Forward(Tensor.FromArray([1L, 2, 0, 9, 9, 3], new Shape(2, 3))).Shape);
    }

    /// <summary>ONNX export takes it over sequences (tests/IO/OnnxSequenceModelTests runs them); one vector per example is refused by name.</summary>
    [Fact]
    public void OnnxExportRefusesItOnVectorsByName() =>
        Assert.StartsWith("onnx export: layer 0 (MultiheadAttention) gets examples of shape [4]; export needs sequences [L, 4]",
            Assert.Throws<ArgumentException>(() => Backprop.IO.OnnxExport.ToBytes(new Sequential(new MultiheadAttention(4, 2)), [4])).Message);

    [Theory]
    [InlineData("MultiheadAttention(10, 3)", new[] { 5, 10 }, "architecture: MultiheadAttention(10, 3): num_heads must divide embed_dim 10, got 3")]
    [InlineData("MultiheadAttention(4, 2, dropout=0.1)", new[] { 5, 4 }, "architecture: MultiheadAttention(4, 2, dropout=0.1): dropout 0.1 is not supported (only 0.0)")]
    [InlineData("MultiheadAttention(4, 2, kdim=3)", new[] { 5, 4 }, "architecture: MultiheadAttention(4, 2, kdim=3): kdim 3 is not supported (only None)")]
    [InlineData("MultiheadAttention(4, 2)", new[] { 5, 3 }, "architecture: MultiheadAttention(4, 2) gets examples of shape [5, 3] from the input [5, 3]: it attends over sequences [L, 4]")]
    [InlineData("MultiheadAttention(4, 2)", new[] { 4 }, "architecture: MultiheadAttention(4, 2) gets examples of shape [4] from the input [4]: it attends over sequences [L, 4]")]
    public void WhatMultiheadAttentionCannotBeIsRefused(string text, int[] input, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).OutputShape(input)).Message);
}

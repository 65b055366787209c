using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>Embedding and LayerNorm as modules (PyTorch's parameter names, shapes and initialisation) and in the architecture text.</summary>
public class SequenceLayerTests
{
    [Fact]
    public void EmbeddingIsStandardNormalWithItsPaddingRowZeroed()
    {
        var layer = new Embedding(1000, 50, paddingIdx: -1, generator: new Generator(3));
        Assert.Equal(999, layer.PaddingIdx);
        var state = layer.StateDict();
        Assert.Equal(["weight"], state.Keys);
        Assert.Equal(new Shape(1000, 50), state["weight"].Shape);
        var values = layer.Weight.ToDoubleArray();
        Assert.All(values[(999 * 50)..], v => Assert.Equal(0, v));
        var drawn = values[..(999 * 50)];
        double mean = drawn.Average(), std = Math.Sqrt(drawn.Select(v => (v - mean) * (v - mean)).Average());
        // 49 950 draws of N(0, 1): the mean's standard error is 0.0045, the standard deviation's 0.0032.
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(std, 0.98, 1.02);
    }

    [Fact]
    public void EmbeddingLooksUpItsWeightAndRefusesBadSizes()
    {
        var layer = new Embedding(4, 3, generator: new Generator(1));
        Assert.Null(layer.PaddingIdx);
        var y = layer.Forward(Tensor.FromArray([3L, 3, 0], new Shape(1, 3)));
        Assert.Equal(new Shape(1, 3, 3), y.Shape);
        var w = layer.Weight.ToDoubleArray();
        Assert.Equal([.. w[9..12], .. w[9..12], .. w[0..3]], y.ToDoubleArray());
        Assert.Equal("Embedding: padding_idx 4 is out of range for 4 embeddings", Assert.Throws<ArgumentException>(() => new Embedding(4, 3, 4)).Message);
        Assert.Equal("Embedding: sizes must be at least 1, got 0 embeddings of 3 values", Assert.Throws<ArgumentException>(() => new Embedding(0, 3)).Message);
    }

    [Fact]
    public void FromPretrainedUsesTheTensorItselfAsItsWeight()
    {
        var table = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var frozen = Embedding.FromPretrained(table);
        Assert.Same(table, frozen.Weight);
        Assert.False(table.RequiresGrad);
        Assert.Equal((3, 2, (int?)null), (frozen.NumEmbeddings, frozen.EmbeddingDim, frozen.PaddingIdx));
        Assert.Equal([5.0, 6, 1, 2], frozen.Forward(Tensor.FromArray([2L, 0])).ToDoubleArray());

        var trained = Embedding.FromPretrained(table, freeze: false, paddingIdx: -1);
        Assert.True(table.RequiresGrad);
        Assert.Equal(2, trained.PaddingIdx);
        trained.Forward(Tensor.FromArray([2L, 1, 1])).Sum().Backward();
        Assert.Equal([0.0, 0, 2, 2, 0, 0], table.Grad!.ToDoubleArray()); // row 1 twice; row 2 is padding, no gradient
        Assert.Equal("Embedding.from_pretrained: embeddings must be a 2-dimensional floating-point tensor [num_embeddings, embedding_dim], got Float32 of shape [3]",
            Assert.Throws<ArgumentException>(() => Embedding.FromPretrained(Tensor.Zeros([3]))).Message);
    }

    [Fact]
    public void LayerNormRegistersWeightOnesAndBiasZerosAsPyTorch()
    {
        var affine = new LayerNorm([2, 3]).StateDict();
        Assert.Equal(["weight", "bias"], affine.Keys);
        Assert.Equal(Enumerable.Repeat(1.0, 6), affine["weight"].ToDoubleArray());
        Assert.Equal(Enumerable.Repeat(0.0, 6), affine["bias"].ToDoubleArray());
        Assert.All(affine.Values, t => Assert.Equal(new Shape(2, 3), t.Shape));

        var noBias = new LayerNorm([4], bias: false);
        Assert.Equal(["weight"], noBias.StateDict().Keys);
        Assert.Null(noBias.Bias);
        var plain = new LayerNorm([4], elementwiseAffine: false, bias: true);
        Assert.Empty(plain.StateDict());
        Assert.Equal("LayerNorm: normalized_shape needs at least one axis, each of size at least 1, got [0]",
            Assert.Throws<ArgumentException>(() => new LayerNorm([0])).Message);
    }

    /// <summary>[1, 2, 3, 6] with eps 0.5: x̂ = [−1, −0.5, 0, 1.5] (mean 3, biased variance 3.5, √(3.5 + 0.5) = 2); a set weight and bias then apply.</summary>
    [Fact]
    public void LayerNormForwardUsesItsParameters()
    {
        var layer = new LayerNorm([4], eps: 0.5, dtype: DType.Float64);
        var x = Tensor.FromArray([1.0, 2, 3, 6]);
        Assert.Equal([-1, -0.5, 0, 1.5], layer.Forward(x).ToDoubleArray());
        using (new Backprop.Autograd.NoGrad())
        {
            layer.Weight!.CopyInPlace(Tensor.FromArray([2.0, 2, 2, 2]));
            layer.Bias!.CopyInPlace(Tensor.FromArray([1.0, 1, 1, 1]));
        }
        Assert.Equal([-1, 0, 1, 4], layer.Forward(x).ToDoubleArray());
        Assert.Equal([-1, -0.5, 0, 1.5], new LayerNorm([4], 0.5, elementwiseAffine: false, dtype: DType.Float64).Forward(x).ToDoubleArray());
    }

    [Theory]
    [InlineData("Embedding(100, 16, padding_idx=0), LayerNorm(16), Linear(16, 100)", "Embedding(100, 16, padding_idx=0), LayerNorm(16), Linear(16, 100)")]
    [InlineData("nn.LayerNorm((3, 4), eps=0.001, bias=False)", "LayerNorm((3, 4), eps=0.001, bias=False)")]
    [InlineData("LayerNorm(normalized_shape=8, elementwise_affine=False)", "LayerNorm(8, elementwise_affine=False)")]
    public void TheTextRoundTrips(string text, string canonical)
    {
        Assert.Equal(canonical, Architecture.Parse(text).ToString());
        Assert.Equal(canonical, Architecture.Parse(canonical).ToString());
    }

    [Fact]
    public void AnEmbeddingNetworkBuildsAndItsShapesChain()
    {
        var architecture = Architecture.Parse("Embedding(10, 4, padding_idx=0), LayerNorm(4), Linear(4, 3)");
        Assert.Equal([7, 3], architecture.OutputShape([7]));
        Assert.Equal([2, 5, 3], architecture.OutputShape([2, 5]));
        var model = architecture.Build(new Generator(2));
        Assert.Equal(["0.weight", "1.weight", "1.bias", "2.weight", "2.bias"], model.StateDict().Keys);
        Assert.Equal(new Shape(10, 4), model.StateDict()["0.weight"].Shape);
        Assert.All(model.StateDict()["0.weight"].ToDoubleArray()[..4], v => Assert.Equal(0, v));
        var y = model.Forward(Tensor.FromArray([1L, 2, 0, 9, 9, 3], new Shape(2, 3)));
        Assert.Equal(new Shape(2, 3, 3), y.Shape);
        Assert.Equal([4, 3], Architecture.Parse("LayerNorm((4, 3))").OutputShape([4, 3]));
    }

    [Theory]
    [InlineData("LayerNorm(5)", new[] { 7, 4 }, "architecture: LayerNorm(5) gets examples of shape [7, 4] from the input [7, 4]: it normalises last axes of shape [5]")]
    [InlineData("LayerNorm((2, 7, 4))", new[] { 7, 4 }, "architecture: LayerNorm((2, 7, 4)) gets examples of shape [7, 4] from the input [7, 4]: it normalises last axes of shape [2, 7, 4]")]
    [InlineData("LayerNorm(0)", new[] { 7, 4 }, "architecture: LayerNorm(0): normalized_shape must be at least 1, got 0")]
    [InlineData("LayerNorm((4, 0))", new[] { 7, 4 }, "architecture: LayerNorm((4, 0)): normalized_shape must be a positive integer or a tuple of them, got (4, 0)")]
    public void ALayerNormThatDoesNotFitIsNamed(string text, int[] input, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).OutputShape(input)).Message);

    [Theory]
    [InlineData("Embedding(5, 2, padding_idx=5)", "architecture: Embedding(5, 2, padding_idx=5): padding_idx must be within num_embeddings (5), got 5")]
    [InlineData("Embedding(5, 2, sparse=True)", "architecture: Embedding(5, 2, sparse=True): sparse True is not supported (only False)")]
    [InlineData("Embedding(5, 2, max_norm=1.0)", "architecture: Embedding(5, 2, max_norm=1.0): max_norm 1.0 is not supported (only None)")]
    public void WhatAnEmbeddingCannotBeIsRefused(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).Build()).Message);

    /// <summary>
    /// ONNX export takes LayerNorm and Embedding (tests/IO/OnnxSequenceModelTests runs them); an Embedding only as the first
    /// layer, where the network's input is int64 tokens: elsewhere the shape trace feeds it floats and names it.
    /// </summary>
    [Fact]
    public void OnnxExportTakesAnEmbeddingOnlyFirst()
    {
        var e = Assert.Throws<ArgumentException>(() => Backprop.IO.OnnxExport.ToBytes(new Sequential(new LayerNorm([3]), new Embedding(4, 2)), [3]));
        Assert.Equal("onnx export: layer 1 (Embedding) does not take input of shape [3] per example: embedding: indices must be int64, got Float32", e.Message);
    }
}

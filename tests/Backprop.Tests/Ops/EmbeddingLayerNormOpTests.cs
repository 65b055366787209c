namespace Backprop.Tests.Ops;

/// <summary>The embedding lookup and layer normalisation on tiny inputs worked out by hand, and their bad-input messages.</summary>
public class EmbeddingLayerNormOpTests
{
    private static void Close(double[] expected, Tensor actual, int digits = 12)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], digits);
    }

    /// <summary>Rows [0, 1], [2, 3], [4, 5].</summary>
    private static Tensor Table() => Tensor.FromArray(new double[,] { { 0, 1 }, { 2, 3 }, { 4, 5 } });

    /// <summary>
    /// Indices [[2, 0], [2, 2]] pick rows 2, 0, 2, 2. With the output's gradient 1…8 (a pair per position), row 0 gets
    /// position 1's [3, 4], row 1 nothing, and row 2, picked three times, the sum [1 + 5 + 7, 2 + 6 + 8] = [13, 16].
    /// </summary>
    [Fact]
    public void EmbeddingPicksRowsAndRepeatedIndicesAddTheirGradients()
    {
        var weight = Table();
        weight.RequiresGrad = true;
        var y = Embeddings.Embedding(weight, Tensor.FromArray([2L, 0, 2, 2], new Shape(2, 2)));
        Assert.Equal(new Shape(2, 2, 2), y.Shape);
        Close([4, 5, 0, 1, 4, 5, 4, 5], y);
        y.Backward(Tensor.Arange(1, 9, 1, DType.Float64).Reshape(2, 2, 2));
        Close([3, 4, 0, 0, 13, 16], weight.Grad!);
    }

    /// <summary>The same lookup with padding_idx 2 (and −1, the same row counted from the end): the padding row's values still come out, as PyTorch's, but its gradient stays zero.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void ThePaddingRowGetsNoGradient(int paddingIdx)
    {
        var weight = Table();
        weight.RequiresGrad = true;
        var y = Embeddings.Embedding(weight, Tensor.FromArray([2L, 0, 2, 2], new Shape(2, 2)), paddingIdx);
        Close([4, 5, 0, 1, 4, 5, 4, 5], y);
        y.Backward(Tensor.Arange(1, 9, 1, DType.Float64).Reshape(2, 2, 2));
        Close([3, 4, 0, 0, 0, 0], weight.Grad!);
    }

    [Fact]
    public void EmbeddingOfScalarIndexIsOneRowAndFloat32Works()
    {
        var y = Embeddings.Embedding(Table().To(DType.Float32), Tensor.FromArray([1L], Shape.Scalar));
        Assert.Equal(new Shape(2), y.Shape);
        Assert.Equal(DType.Float32, y.DType);
        Close([2, 3], y);
    }

    [Theory]
    [InlineData(3L, "embedding: index 3 is out of range for 3 embeddings")]
    [InlineData(-1L, "embedding: index -1 is out of range for 3 embeddings")]
    public void AnIndexOutOfRangeIsNamedWithTheSize(long index, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Embeddings.Embedding(Table(), Tensor.FromArray([0L, index])));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void EmbeddingRefusesFloatIndicesAndAPaddingRowOutOfRange()
    {
        Assert.Equal("embedding: indices must be int64, got Float32",
            Assert.Throws<ArgumentException>(() => Embeddings.Embedding(Table(), Tensor.FromArray([0f, 1]))).Message);
        Assert.Equal("embedding: padding_idx 3 is out of range for 3 embeddings",
            Assert.Throws<ArgumentException>(() => Embeddings.Embedding(Table(), Tensor.FromArray([0L]), 3)).Message);
        Assert.Equal("embedding: weight must be [num_embeddings, embedding_dim], got shape [3]",
            Assert.Throws<ArgumentException>(() => Embeddings.Embedding(Tensor.Zeros([3]), Tensor.FromArray([0L]))).Message);
    }

    /// <summary>
    /// Row [1, 2, 3, 6]: mean 3, deviations [−2, −1, 0, 3], biased variance (4 + 1 + 0 + 9)/4 = 3.5; with eps 0.5 the
    /// standard deviation is √4 = 2, so x̂ = [−1, −0.5, 0, 1.5]. Row [6, 3, 2, 1] is the same reversed: x̂ = [1.5, 0, −0.5, −1].
    /// With w = [1, 2, 3, 4], b = [0, 1, 0, −1]: y = x̂·w + b = [−1, 0, 0, 5] and [1.5, 1, −1.5, −5].
    /// With the output's gradient all ones: dw = Σ_rows x̂ = [0.5, −0.5, −0.5, 0.5], db = Σ_rows 1 = [2, 2, 2, 2].
    /// </summary>
    [Fact]
    public void LayerNormWithWeightAndBiasByHand()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 2, 3, 6 }, { 6, 3, 2, 1 } });
        var w = Tensor.FromArray([1.0, 2, 3, 4]);
        var b = Tensor.FromArray([0.0, 1, 0, -1]);
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        var y = x.LayerNorm([4], w, b, eps: 0.5);
        Close([-1, 0, 0, 5, 1.5, 1, -1.5, -5], y);
        y.Backward(Tensor.Ones([2, 4], DType.Float64));
        Close([0.5, -0.5, -0.5, 0.5], w.Grad!);
        Close([2, 2, 2, 2], b.Grad!);
    }

    /// <summary>
    /// Without affine, for row [1, 2, 3, 6] (x̂ = [−1, −0.5, 0, 1.5], 1/σ = 1/2 as above) and the output's gradient
    /// g = [1, 0, 0, 0]: mean(g) = 1/4, mean(g·x̂) = −1/4, so dx = (g − 1/4 + x̂/4)/2 = [0.5, −0.375, −0.25, 0.125]/2.
    /// </summary>
    [Fact]
    public void LayerNormInputGradientByHand()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 6]);
        x.RequiresGrad = true;
        var y = x.LayerNorm([4], eps: 0.5);
        Close([-1, -0.5, 0, 1.5], y);
        y.Backward(Tensor.FromArray([1.0, 0, 0, 0]));
        Close([0.25, -0.1875, -0.125, 0.0625], x.Grad!);
    }

    /// <summary>Over the last two axes, [2, 2] of the same four values in float32 (default eps): x̂ = (x − 3)/√(3.5 + 1e−5).</summary>
    [Fact]
    public void LayerNormOverTwoAxesInFloat32()
    {
        var x = Tensor.FromArray([1f, 2, 3, 6, 1, 2, 3, 6], new Shape(2, 2, 2));
        var y = x.LayerNorm([2, 2]);
        Assert.Equal(DType.Float32, y.DType);
        double s = Math.Sqrt(3.5 + 1e-5);
        Close([-2 / s, -1 / s, 0, 3 / s, -2 / s, -1 / s, 0, 3 / s], y, digits: 6);
    }

    [Fact]
    public void LayerNormNamesShapesThatDoNotFit()
    {
        var x = Tensor.Zeros([2, 3], DType.Float64);
        Assert.Equal("layer_norm: normalized_shape [2] is not the last axes of input [2,3]",
            Assert.Throws<ArgumentException>(() => x.LayerNorm([2])).Message);
        Assert.Equal("layer_norm: weight of shape [2] is not normalized_shape [3]",
            Assert.Throws<ArgumentException>(() => x.LayerNorm([3], Tensor.Ones([2]))).Message);
    }
}

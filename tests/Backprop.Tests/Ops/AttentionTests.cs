using static Backprop.Tests.TestData;

namespace Backprop.Tests.Ops;

/// <summary>Scaled dot-product attention on a tiny input worked out by hand, its causal and additive masks, and its bad-input messages.</summary>
public class AttentionTests
{
    private static void Close(double[] expected, Tensor actual, int digits = 12)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], digits);
    }

    private static Tensor Column(params double[] values)
    {
        var t = Tensor.FromArray(values, new Shape(values.Length, 1));
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>
    /// E = 1, so the scale is 1/√1 = 1. q = [ln 3, 0]ᵀ, k = [1, 0]ᵀ, v = [4, 8]ᵀ. Scores q·kᵀ = [[ln 3, 0], [0, 0]];
    /// softmax rows P = [[3/4, 1/4], [1/2, 1/2]]; y = P·v = [3 + 2, 2 + 4] = [5, 6].
    /// Backward from g = [1, 1]ᵀ: dv = Pᵀ·g = column sums of P = [5/4, 3/4]. dP = g·vᵀ = [[4, 8], [4, 8]];
    /// rowsum(dP ⊙ P) = [3 + 2, 2 + 4] = [5, 6]; dS = P ⊙ (dP − rowsum) = [[3/4·(−1), 1/4·3], [1/2·(−2), 1/2·2]] = [[−3/4, 3/4], [−1, 1]].
    /// dq = dS·k = [−3/4, −1] (row 0 agrees with d/dq₀ of (4e^q₀ + 8)/(e^q₀ + 1) = p₀p₁(v₀ − v₁) = 3/16·(−4));
    /// dk = dSᵀ·q = [−3/4·ln 3 − 1·0, 3/4·ln 3 + 1·0].
    /// </summary>
    [Fact]
    public void TinyExampleMatchesTheHandDerivation()
    {
        var q = Column(Math.Log(3), 0);
        var k = Column(1, 0);
        var v = Column(4, 8);
        var y = Attention.ScaledDotProductAttention(q, k, v);
        Close([5, 6], y);
        y.Backward(Tensor.Ones([2, 1], DType.Float64));
        Close([5.0 / 4, 3.0 / 4], v.Grad!);
        Close([-0.75, -1], q.Grad!);
        Close([-0.75 * Math.Log(3), 0.75 * Math.Log(3)], k.Grad!);
    }

    /// <summary>
    /// The same example, causal: query 0 sees key 0 only, so y₀ = v₀ = 4, while query 1 still sees both (y₁ = 6).
    /// From g = [1, 0]ᵀ (row 0 alone): dv = [1, 0], and nothing reaches q or k, since a single key gets weight 1 whatever its score.
    /// </summary>
    [Fact]
    public void CausalRowZeroAttendsOnlyToItself()
    {
        var q = Column(Math.Log(3), 0);
        var k = Column(1, 0);
        var v = Column(4, 8);
        var y = Attention.ScaledDotProductAttention(q, k, v, isCausal: true);
        Close([4, 6], y);
        y.Backward(Tensor.FromArray([1.0, 0], new Shape(2, 1)));
        Close([1, 0], v.Grad!);
        Close([0, 0], q.Grad!);
        Close([0, 0], k.Grad!);
    }

    /// <summary>With random heads [2, 3, 4, 5], the first query row of every head is its first value row, and is_causal equals the additive mask with −∞ above the diagonal.</summary>
    [Fact]
    public void CausalEqualsTheAdditiveTriangleMask()
    {
        var g = new Generator(7);
        Tensor q = Uniform(g, [2, 3, 4, 5]), k = Uniform(g, [2, 3, 4, 5]), v = Uniform(g, [2, 3, 4, 2]);
        var causal = Attention.ScaledDotProductAttention(q, k, v, isCausal: true);
        Close(v.Slice(2, 0, 1).ToDoubleArray(), causal.Slice(2, 0, 1));
        var triangle = new double[4, 4];
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) triangle[i, j] = double.NegativeInfinity;
        Close(causal.ToDoubleArray(), Attention.ScaledDotProductAttention(q, k, v, Tensor.FromArray(triangle)));
    }

    /// <summary>The scale is 1/√E unless given: with E = 4 the default is 0.5, and a zero mask changes nothing.</summary>
    [Fact]
    public void DefaultScaleIsOneOverRootOfTheEmbeddingSize()
    {
        var g = new Generator(3);
        Tensor q = Uniform(g, [3, 4]), k = Uniform(g, [5, 4]), v = Uniform(g, [5, 2]);
        var y = Attention.ScaledDotProductAttention(q, k, v);
        Assert.Equal(new Shape(3, 2), y.Shape);
        Close(y.ToDoubleArray(), Attention.ScaledDotProductAttention(q, k, v, scale: 0.5));
        Close(y.ToDoubleArray(), Attention.ScaledDotProductAttention(q, k, v, Tensor.Zeros([5], DType.Float64)));
        Assert.NotEqual(y.ToDoubleArray()[0], Attention.ScaledDotProductAttention(q, k, v, scale: 1).ToDoubleArray()[0]);
    }

    [Fact]
    public void Float32ComputesInFloat32()
    {
        var g = new Generator(5);
        Tensor q = Uniform(g, [2, 3, 4]), k = Uniform(g, [2, 3, 4]), v = Uniform(g, [2, 3, 4]);
        var y = Attention.ScaledDotProductAttention(q.To(DType.Float32), k.To(DType.Float32), v.To(DType.Float32), isCausal: true);
        Assert.Equal(DType.Float32, y.DType);
        Close(Attention.ScaledDotProductAttention(q, k, v, isCausal: true).ToDoubleArray(), y, digits: 5);
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 5, 4 }, new[] { 5, 2 }, "scaled_dot_product_attention: query, key and value need at least 2 dimensions ([..., L, E], [..., S, E], [..., S, Ev]), got shapes [3], [5,4] and [5,2]")]
    [InlineData(new[] { 3, 4 }, new[] { 5, 3 }, new[] { 5, 2 }, "scaled_dot_product_attention: key of shape [5,3] does not have the query's embedding size 4 (query shape [3,4])")]
    [InlineData(new[] { 3, 4 }, new[] { 5, 4 }, new[] { 6, 2 }, "scaled_dot_product_attention: value of shape [6,2] does not have the key's sequence length 5 (key shape [5,4])")]
    public void BadShapesAreNamed(int[] query, int[] key, int[] value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Attention.ScaledDotProductAttention(
            Tensor.Zeros(query, DType.Float64), Tensor.Zeros(key, DType.Float64), Tensor.Zeros(value, DType.Float64)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void BadMasksAndDTypesAreNamed()
    {
        Tensor q = Tensor.Zeros([3, 4], DType.Float64), k = Tensor.Zeros([5, 4], DType.Float64);
        Assert.Equal("scaled_dot_product_attention: mask of shape [3,4] does not broadcast to the attention scores' shape [3,5]",
            Assert.Throws<ArgumentException>(() => Attention.ScaledDotProductAttention(q, k, k, Tensor.Zeros([3, 4], DType.Float64))).Message);
        Assert.Equal("scaled_dot_product_attention: an explicit mask cannot be combined with is_causal",
            Assert.Throws<ArgumentException>(() => Attention.ScaledDotProductAttention(q, k, k, Tensor.Zeros([3, 5], DType.Float64), isCausal: true)).Message);
        Assert.Equal("scaled_dot_product_attention: query, key and value must share one dtype, got Float64, Float32 and Float64",
            Assert.Throws<ArgumentException>(() => Attention.ScaledDotProductAttention(q, k.To(DType.Float32), k)).Message);
    }
}

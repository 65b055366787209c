using Backprop.Losses;

namespace Backprop.Tests.Ops;

/// <summary>Forward values of the ops on small hand-checked cases, and their bad-input messages.</summary>
public class OpValueTests
{
    private static Tensor T(params double[] values) => Tensor.FromArray(values);

    private static void Close(double[] expected, Tensor actual, int digits = 6)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], digits);
    }

    [Fact]
    public void MatMulMultipliesAndNamesBadShapes()
    {
        var a = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var b = Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        Close([4, 5, 10, 11], a.MatMul(b));
        Close([14, 32], a.MatMul(T(1, 2, 3)));
        Assert.Equal(0, T(1, 2).MatMul(T(3, 4)).Rank);

        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).MatMul(Tensor.Zeros([4, 5])));
        Assert.Equal("matmul: shapes [2,3] and [4,5] cannot be multiplied", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 2, 3]).MatMul(Tensor.Zeros([3, 3, 1])));
        Assert.Equal("matmul: batch dimensions of shapes [2,2,3] and [3,3,1] cannot be broadcast together", e.Message);
    }

    [Fact]
    public void BatchedMatMulBroadcastsTheBatch()
    {
        var a = Tensor.Arange(0, 12, 1, DType.Float64).Reshape(2, 2, 3);
        var b = Tensor.Arange(0, 6, 1, DType.Float64).Reshape(3, 2);
        var c = a.MatMul(b);
        Assert.Equal(new Shape(2, 2, 2), c.Shape);
        Close([10, 13, 28, 40, 46, 67, 64, 94], c);
    }

    [Fact]
    public void ReductionsAlongAxes()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 5, 3 }, { 4, 2, 6 } });
        Close([21], x.Sum().Reshape(1));
        Close([5, 7, 9], x.Sum(0));
        Close([9, 12], x.Sum(1));
        Assert.Equal(new Shape(2, 1), x.Sum(1, keepDims: true).Shape);
        Close([3, 4], x.Mean(1));
        Close([6], x.Max().Reshape(1));
        Close([4, 5, 6], x.Max(0));
    }

    [Fact]
    public void MaxSharesTheGradientAmongTies()
    {
        var x = T(1, 3, 3);
        x.RequiresGrad = true;
        x.Max().Backward();
        Close([0, 0.5, 0.5], x.Grad!);
    }

    [Fact]
    public void TransposeReshapeSliceCat()
    {
        var x = Tensor.Arange(0, 6, 1, DType.Float64).Reshape(2, 3);
        Close([0, 3, 1, 4, 2, 5], x.Transpose());
        Assert.Equal(new Shape(3, 2), x.Reshape(-1, 2).Shape);
        Close([1, 2, 4, 5], x.Slice(1, 1, 3));
        Close([3, 4, 5], x.Slice(0, -1, 2));
        Close([0, 1, 2, 3, 4, 5, 0, 1, 2], Shaping.Cat([x, x.Slice(0, 0, 1)], 0));
        Close([0, 1, 2, 0, 3, 4, 5, 3], Shaping.Cat([x, x.Slice(1, 0, 1)], 1));
        Assert.Equal(new Shape(6), x.Flatten().Shape);
        Assert.Equal(new Shape(2, 1, 3), x.Unsqueeze(1).Shape);
    }

    [Fact]
    public void ShapingErrorsNameTheOpAndTheShapes()
    {
        var x = Tensor.Zeros([2, 3]);
        Assert.Equal("reshape: shape [2,3] (6 elements) cannot be viewed as [4,2] (8 elements)", Assert.Throws<ArgumentException>(() => x.Reshape(4, 2)).Message);
        Assert.Equal("reshape: shape [2,3] cannot be viewed as [4,-1]", Assert.Throws<ArgumentException>(() => x.Reshape(4, -1)).Message);
        Assert.Equal("slice: range [2,5) is out of bounds for axis 1 of size 3 in shape [2,3]", Assert.Throws<ArgumentException>(() => x.Slice(1, 2, 5)).Message);
        Assert.Equal("cat: shapes [2,3] and [2,2] differ outside axis 0", Assert.Throws<ArgumentException>(() => Shaping.Cat([x, Tensor.Zeros([2, 2])], 0)).Message);
        Assert.Equal("squeeze: axis 0 of shape [2,3] has size 2, not 1", Assert.Throws<ArgumentException>(() => x.Squeeze(0)).Message);
        Assert.Equal("broadcast_to: shape [2,3] cannot be broadcast to [3,3]", Assert.Throws<ArgumentException>(() => x.BroadcastTo([3, 3])).Message);
    }

    [Fact]
    public void ActivationsAtKnownPoints()
    {
        var z = T(-2, 0, 1.5);
        Close([0, 1, 1], z.BinaryStep());
        Close([1 / (1 + Math.Exp(2)), 0.5, 1 / (1 + Math.Exp(-1.5))], z.Sigmoid());
        Close([Math.Tanh(-2), 0, Math.Tanh(1.5)], z.Tanh());
        Close([0, 0, 1.5], z.Relu());
        Close([-0.02, 0, 1.5], z.LeakyRelu());
        Close([Math.Exp(-2) - 1, 0, 1.5], z.Elu());
        // GELU(x) = x·Φ(x); Φ(-2) = 0.0227501319481792, Φ(1.5) = 0.9331927987311419 (normal tables).
        Close([-2 * 0.0227501319481792, 0, 1.5 * 0.9331927987311419], z.Gelu(), 12);
        Close([-2 / (1 + Math.Exp(2)), 0, 1.5 / (1 + Math.Exp(-1.5))], z.Silu());
        // The tanh form, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), evaluated in double: at 1, √(2/π)·1.044715 = 0.8335620,
        // tanh of it 0.6823840, so 0.8411920. Within 1e-3 of the exact form, and gelu(x) − gelu(−x) = x exactly, as tanh is odd.
        var tanhForm = Shaping.Cat([z, T(1)], 0).GeluTanh();
        Close([-0.04540230591222494, 0, 1.3995715769802328, 0.8411919906082768], tanhForm, 12);
        double[] exact = [-2 * 0.0227501319481792, 0, 1.5 * 0.9331927987311419, 0.8413447460685429];
        for (int i = 0; i < exact.Length; i++) Assert.InRange(Math.Abs(tanhForm[i] - exact[i]), 0, 1e-3);
        Close([1.5], T(1.5).GeluTanh() - T(-1.5).GeluTanh(), 12);

        Close([Math.Log(1 + Math.Exp(-2)), Math.Log(2), Math.Log(1 + Math.Exp(1.5)), 30], Shaping.Cat([z, T(30)], 0).Softplus(), 12);
    }

    [Fact]
    public void SoftmaxIsStableForHugeLogits()
    {
        var logits = T(1000, 1001, 1002).Reshape(1, 3);
        double sum = Math.Exp(0) + Math.Exp(1) + Math.Exp(2);
        Close([1 / sum, Math.E / sum, Math.E * Math.E / sum], logits.Softmax());
        Close([-Math.Log(sum) + 0, 1 - Math.Log(sum), 2 - Math.Log(sum)], logits.LogSoftmax(), 12);
    }

    [Fact]
    public void LossesMatchTheirDefinitions()
    {
        // The article's cost: (1.2 − 0.5)² = 0.49.
        Assert.Equal(0.49, Loss.Mse(T(1.2), T(0.5)).Item(), 12);
        // BCE with logits x = 0, y = 1: ln 2. With x = 100, y = 0: 100 (no overflow).
        Assert.Equal(Math.Log(2), Loss.BinaryCrossEntropyWithLogits(T(0), T(1)).Item(), 12);
        Assert.Equal(100, Loss.BinaryCrossEntropyWithLogits(T(100), T(0)).Item(), 9);
        // Cross-entropy of uniform logits over 4 classes: ln 4.
        Assert.Equal(Math.Log(4), Loss.CrossEntropy(Tensor.Zeros([2, 4], DType.Float64), [1, 3]).Item(), 12);
    }

    [Fact]
    public void FusedCrossEntropyEqualsNllOfLogSoftmax()
    {
        var logits = Tensor.Uniform([5, 4], -3, 3, new Generator(8), DType.Float64);
        logits.RequiresGrad = true;
        int[] targets = [3, 0, 1, 1, 2];
        var fused = Loss.CrossEntropy(logits, targets);
        fused.Backward();
        var fusedGrad = logits.Grad!.ToDoubleArray();
        logits.ZeroGrad();
        var composite = Loss.NllLoss(logits.LogSoftmax(), targets);
        composite.Backward();
        Assert.Equal(composite.Item(), fused.Item(), 14);
        var compositeGrad = logits.Grad!.ToDoubleArray();
        for (int i = 0; i < fusedGrad.Length; i++) Assert.Equal(compositeGrad[i], fusedGrad[i], 14);
    }

    [Fact]
    public void LossErrorsNameTheProblem()
    {
        Assert.Equal("mse_loss: prediction shape [3] and target shape [3,1] differ",
            Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros([3]), Tensor.Zeros([3, 1]))).Message);
        Assert.Equal("cross_entropy: target 4 at row 1 is not a class in [0,4)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 4]), [0, 4])).Message);
        Assert.Equal("cross_entropy: 1 targets for 2 rows of shape [2,4]",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 4]), [0])).Message);
        Assert.Equal("cross_entropy: target 1.5 at row 1 is not a class in [0,4)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 4]), Tensor.FromArray([0f, 1.5f]))).Message);
        Assert.Equal("cross_entropy: targets of shape [2,1] for 2 rows of shape [2,4]",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 4]), Tensor.Zeros([2, 1]))).Message);
    }

    [Fact]
    public void ClampAndPowAtKnownPoints()
    {
        Close([-1, 0.25, 1], T(-3, 0.25, 9).Clamp(-1, 1));
        Close([9, 0.0625, 81], T(-3, 0.25, 9).Pow(2));
        Close([8, 1.0 / 3], T(2, 9).Pow(T(3, -0.5)), 12);
        Assert.Equal("clamp: min 1 must not exceed max 0", Assert.Throws<ArgumentException>(() => T(1).Clamp(1, 0)).Message);
    }

    [Fact]
    public void InPlaceUpdateNeedsNoGradOnParameters()
    {
        var w = T(1, 2);
        w.RequiresGrad = true;
        var e = Assert.Throws<InvalidOperationException>(() => w.AddInPlace(T(1, 1)));
        Assert.StartsWith("add_: a tensor that requires grad cannot be changed in place", e.Message);
        using (new Backprop.Autograd.NoGrad()) w.AddInPlace(T(1, 1), alpha: -0.5);
        Close([0.5, 1.5], w);
    }
}

using Backprop.Losses;

namespace Backprop.Tests;

/// <summary>Int64 tensors: what they hold, how they convert and print, and where they are refused (gradients, float-only ops).</summary>
public class Int64TensorTests
{
    [Fact]
    public void FromArrayCopiesAndKeepsTheValuesExactly()
    {
        long[] source = [3, -1, long.MaxValue, 0, 7, 2];
        var t = Tensor.FromArray(source, [2, 3]);
        source[0] = 99;
        Assert.Equal(DType.Int64, t.DType);
        Assert.False(t.IsFloatingPoint);
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal([3L, -1, long.MaxValue, 0, 7, 2], t.ToInt64Array()); // beyond 2^53: no trip through double
        Assert.Equal(7, t[1, 1]);
        t[1, 1] = -2.9; // stored toward zero, as PyTorch stores a float into a long tensor
        Assert.Equal(-2, t.Span<long>()[4]);
        Assert.Equal([0L, 0, 0], Tensor.Zeros([3], DType.Int64).ToInt64Array());
        Assert.Equal([2L, 2], Tensor.Full([2], 2.5, DType.Int64).ToInt64Array());
        Assert.Equal([0L, 2, 4], Tensor.Arange(0, 5, 2, DType.Int64).ToInt64Array());
    }

    [Fact]
    public void WholeNumberLiteralsMakeAnInt64TensorAsInPyTorch()
    {
        // C# picks the long[] overload for a collection of int literals, as torch.tensor([1, 2]) is int64; a float
        // tensor needs float literals, as in PyTorch (torch.tensor([1., 2.])).
        Assert.Equal(DType.Int64, Tensor.FromArray([1, 2]).DType);
        Assert.Equal(DType.Float32, Tensor.FromArray([1f, 2]).DType);
        Assert.Equal(DType.Float64, Tensor.FromArray([1.0, 2]).DType);
    }

    [Fact]
    public void ToConvertsBetweenEveryPairOfDtypes()
    {
        var floats = Tensor.FromArray([2.7f, -2.7f, 0.5f, 3f]);
        Assert.Equal([2L, -2, 0, 3], floats.To(DType.Int64).ToInt64Array()); // toward zero, as .long()
        Assert.Equal([2L, -2, 0, 3], floats.To(DType.Float64).To(DType.Int64).ToInt64Array());
        var longs = Tensor.FromArray([5L, -3, 16_777_217]);
        Assert.Equal([5f, -3f, 16_777_216f], longs.To(DType.Float32).ToFloatArray()); // nearest float32, as PyTorch
        Assert.Equal([5.0, -3, 16_777_217], longs.To(DType.Float64).ToDoubleArray());
        Assert.Equal([5.0, -3, 16_777_217], longs.ToDoubleArray());
        Assert.Equal([2L, -2, 0, 3], floats.ToInt64Array());
        Assert.Same(longs, longs.To(DType.Int64));
    }

    [Fact]
    public void ConvertingToInt64CutsTheGraph()
    {
        var x = Tensor.FromArray([1.5, 2.5]);
        x.RequiresGrad = true;
        var index = (x * 2).To(DType.Int64);
        Assert.False(index.RequiresGrad); // an index is a constant, as PyTorch's .long() of a tensor that requires grad
        Assert.Null(index.GradFn);
        var y = (x * index.To(DType.Float64)).Sum(); // the constant used again: the gradient is the index itself
        y.Backward();
        Assert.Equal([3.0, 5.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void IntegerTensorsCannotRequireGrad()
    {
        var t = Tensor.FromArray([1L, 2]);
        var error = Assert.Throws<InvalidOperationException>(() => t.RequiresGrad = true);
        Assert.Equal("RequiresGrad: only floating-point tensors can require gradients; this one is Int64 (convert it with To(DType.Float32))", error.Message);
        t.RequiresGrad = false; // allowed: nothing changes
    }

    [Fact]
    public void FloatOnlyOpsRefuseInt64WithTheOpsName()
    {
        var t = Tensor.FromArray([1L, 2]);
        string Message(Func<Tensor> op) => Assert.Throws<ArgumentException>(() => op()).Message;
        const string Tail = "expects a floating-point tensor (Float32 or Float64), got Int64 of shape [2]; convert it with To(DType.Float32)";
        Assert.Equal($"add: {Tail}", Message(() => t + t));
        Assert.Equal($"exp: {Tail}", Message(() => t.Exp()));
        Assert.Equal($"relu: {Tail}", Message(() => t.Relu()));
        Assert.Equal($"sum: {Tail}", Message(() => t.Sum()));
        Assert.Equal($"softmax: {Tail}", Message(() => t.Softmax()));
        Assert.Equal($"matmul: {Tail}", Message(() => t.MatMul(t)));
        Assert.Equal("cross_entropy: expects a floating-point tensor (Float32 or Float64), got Int64 of shape [1,2]; convert it with To(DType.Float32)",
            Message(() => Backprop.Losses.Loss.CrossEntropy(t.Reshape(1, 2), [0])));
        Assert.Equal("uniform: draws floating-point values; Int64 is not a floating-point dtype",
            Message(() => Tensor.Uniform([2], 0, 1, dtype: DType.Int64)));
    }

    [Fact]
    public void MixingWithAFloatTensorComputesInTheFloatsDtype()
    {
        // PyTorch's promotion: long with float32 gives float32, long with float64 gives float64.
        var sum = Tensor.FromArray([1L, 2]) + Tensor.FromArray([0.5f, 0.25f]);
        Assert.Equal(DType.Float32, sum.DType);
        Assert.Equal([1.5f, 2.25f], sum.ToFloatArray());
        Assert.Equal(DType.Float64, (Tensor.FromArray([0.5]) * Tensor.FromArray([3L])).DType);
        Assert.Equal(DType.Float32, Shaping.Cat([Tensor.FromArray([1L]), Tensor.FromArray([2f])]).DType);
    }

    [Fact]
    public void ShapingOpsMoveInt64Values()
    {
        var t = Tensor.FromArray([1L, 2, 3, 4, 5, 6], [2, 3]);
        Assert.Equal([1L, 4, 2, 5, 3, 6], t.Transpose().ToInt64Array());
        Assert.Equal([2L, 3, 5, 6], t.Slice(1, 1, 3).ToInt64Array());
        Assert.Equal([1L, 2, 3, 4, 5, 6, 1, 2, 3], Shaping.Cat([t, t.Slice(0, 0, 1)]).ToInt64Array());
        Assert.Equal([1L, 2, 3, 1, 2, 3], Tensor.FromArray([1L, 2, 3]).BroadcastTo([2, 3]).ToInt64Array());
        Assert.Equal(new Shape(6), t.Flatten().Shape);
        Assert.Equal(DType.Int64, t.Reshape(3, 2).Unsqueeze(0).DType);
    }

    [Fact]
    public void InPlaceUpdatesTakeWholeNumbers()
    {
        var count = Tensor.Zeros(Shape.Scalar, DType.Int64);
        count.AddInPlace(Tensor.Scalar(1, DType.Int64));
        count.AddInPlace(Tensor.Scalar(1, DType.Int64), alpha: 2);
        Assert.Equal(3, count.Item());
        count.MulInPlace(2);
        Assert.Equal(6, count.Item());
        count.FillInPlace(4);
        Assert.Equal(4, count.Item());
        Assert.Equal("mul_: factor 0.5 is not a whole number, so it cannot update an Int64 tensor in place",
            Assert.Throws<ArgumentException>(() => count.MulInPlace(0.5)).Message);
    }

    [Fact]
    public void ScopesRecycleInt64Storage()
    {
        long[] first;
        using (new TensorScope())
        {
            var t = Tensor.Zeros([5], DType.Int64);
            first = (long[])t.Storage;
        }
        using (new TensorScope())
        {
            var t = Tensor.Zeros([5], DType.Int64);
            Assert.Same(first, t.Storage);
            Assert.Equal(new long[5], t.ToInt64Array());
        }
    }

    [Fact]
    public void ArgmaxAlongAnAxisAndOverAll()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 5, 5, 2 }, { 7, -1, 0, 7 }, { -3, -2, -9, -2 } });
        var rows = x.Argmax(1);
        Assert.Equal(DType.Int64, rows.DType);
        Assert.Equal([1L, 0, 1], rows.ToInt64Array()); // ties: the first, as PyTorch
        Assert.Equal(new Shape(3, 1), x.Argmax(-1, keepDims: true).Shape);
        Assert.Equal([1L, 0, 0, 1], x.Argmax(0).ToInt64Array());
        var all = x.Argmax();
        Assert.Equal(Shape.Scalar, all.Shape);
        Assert.Equal(4, all.Item()); // the first 7, in row-major order
        Assert.Equal(1, Tensor.FromArray([1.0, double.NaN, 5, double.NaN]).Argmax().Item()); // a NaN wins, as PyTorch
        Assert.Equal(2, Tensor.FromArray([4L, -2, 9]).Argmax().Item());
        Assert.Equal("argmax: axis 0 of shape [0,2] is empty", Assert.Throws<ArgumentException>(() => Tensor.Zeros([0, 2]).Argmax(0)).Message);
    }

    [Fact]
    public void ArgmaxCarriesNoGradient()
    {
        var x = Tensor.FromArray([0.5, 2.0, 1.0]);
        x.RequiresGrad = true;
        var index = x.Argmax();
        Assert.False(index.RequiresGrad);
        Assert.Null(index.GradFn);
    }

    [Fact]
    public void ClassIndexConsumersTakeInt64Targets()
    {
        var logits = Tensor.Uniform([4, 3], -2, 2, new Generator(2));
        var longs = Tensor.FromArray([2L, 0, 1, 2]);
        var floats = Tensor.FromArray([2f, 0, 1, 2]);
        Assert.Equal(Loss.CrossEntropy(logits, floats).Item(), Loss.CrossEntropy(logits, longs).Item());
        Assert.Equal(Loss.CrossEntropy(logits, floats).Item(), new CrossEntropyLoss().Forward(logits, longs).Item());
        Assert.Equal([2, 0, 1, 2], ClassIndex.ToArray("cross_entropy", longs));
        var logProbs = logits.LogSoftmax();
        Assert.Equal(Loss.NllLoss(logProbs, [2, 0, 1, 2]).Item(), Loss.NllLoss(logProbs, longs).Item());
        Assert.Equal("cross_entropy: target 3 at row 1 is not a class in [0,3)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.FromArray([0L, 3, 0, 0]))).Message);
        Assert.Equal("cross_entropy: target -1 at row 0 is not a class index (a whole number from 0)",
            Assert.Throws<ArgumentException>(() => ClassIndex.ToArray("cross_entropy", Tensor.FromArray([-1L]))).Message);
    }
}

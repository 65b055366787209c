using Backprop.Autograd;

namespace Backprop.Tests.Autograd;

public class EngineTests
{
    private static Tensor Leaf(double[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void BroadcastOperandGetsItsGradientSummedOverTheBroadcastAxes()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Leaf([10, 20, 30], 3);
        (a * b).Sum().Backward();

        Assert.Equal([10, 20, 30, 10, 20, 30], a.Grad!.ToDoubleArray());
        Assert.Equal([5, 7, 9], b.Grad!.ToDoubleArray()); // column sums of a
        Assert.Equal(b.Shape, b.Grad.Shape);
    }

    [Fact]
    public void SizeOneAxisIsSummedBackWithKeptShape()
    {
        var column = Leaf([1, 2], 2, 1);
        var row = Leaf([1, 1, 1], 1, 3);
        (column + row).Sum().Backward();

        Assert.Equal([3, 3], column.Grad!.ToDoubleArray());
        Assert.Equal(new Shape(2, 1), column.Grad.Shape);
        Assert.Equal([2, 2, 2], row.Grad!.ToDoubleArray());
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        var w = Leaf([3], 1);
        (w * 2).Sum().Backward();
        (w * 5).Sum().Backward();
        Assert.Equal([7], w.Grad!.ToDoubleArray());

        w.ZeroGrad();
        Assert.Null(w.Grad);
        (w * 5).Sum().Backward();
        Assert.Equal([5], w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void TensorUsedTwiceGetsTheSumOfBothPaths()
    {
        var x = Leaf([3], 1);
        var y = x * x + x; // dy/dx = 2x + 1 = 7
        y.Sum().Backward();
        Assert.Equal([7], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void DiamondGraphReachesTheSharedNodeOnce()
    {
        var x = Leaf([2], 1);
        var h = x.Exp();
        var y = h * h.Log(); // = e^x · x, dy/dx = e^x (x + 1)
        y.Sum().Backward();
        Assert.Equal(Math.Exp(2) * 3, x.Grad!.ToDoubleArray()[0], 12);
    }

    [Fact]
    public void TenThousandNodeChainDoesNotOverflowTheStack()
    {
        var x = Leaf([1], 1);
        var y = x;
        for (int i = 0; i < 10_000; i++) y = y * 1.0001;
        y.Sum().Backward();
        Assert.Equal(Math.Pow(1.0001, 10_000), x.Grad!.ToDoubleArray()[0], 9);
    }

    [Fact]
    public void NonScalarNeedsAnExplicitGradient()
    {
        var x = Leaf([1, 2, 3], 3);
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Equal("backward: a gradient can be implied only for a scalar output, but this tensor has shape [3]; pass Backward(gradient) with a tensor of that shape", e.Message);

        (x * 2).Backward(Tensor.FromArray([1.0, 0, -1]));
        Assert.Equal([2, 0, -2], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void ExplicitGradientMustMatchTheShape()
    {
        var x = Leaf([1, 2, 3], 3);
        var e = Assert.Throws<ArgumentException>(() => (x * 2).Backward(Tensor.Ones([2], DType.Float64)));
        Assert.Equal("backward: gradient of shape [2] does not match the tensor's shape [3]", e.Message);
    }

    [Fact]
    public void BackwardOnATensorThatDoesNotRequireGradSaysSo()
    {
        var x = Tensor.FromArray([1.0, 2.0]);
        var e = Assert.Throws<InvalidOperationException>(() => x.Sum().Backward());
        Assert.StartsWith("backward: this tensor does not require grad", e.Message);
    }

    [Fact]
    public void SecondBackwardThroughAFreedGraphFailsClearly()
    {
        var x = Leaf([2], 1);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("was freed by an earlier Backward(); call Backward(retainGraph: true)", e.Message);
    }

    [Fact]
    public void RetainedGraphAllowsASecondBackward()
    {
        var x = Leaf([2], 1);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal([8], x.Grad!.ToDoubleArray()); // 2·(2x) with x = 2
    }

    [Fact]
    public void RetainGradKeepsAnIntermediateGradient()
    {
        var x = Leaf([3], 1);
        var h = (x * 2).RetainGrad();
        var unretained = h * h;
        unretained.Sum().Backward();
        Assert.Equal([12], h.Grad!.ToDoubleArray()); // d(h²)/dh = 2h = 12
        Assert.Null(unretained.Grad);
    }

    [Fact]
    public void NoGradScopeRecordsNothingAndRestoresOnExit()
    {
        var x = Leaf([1], 1);
        using (new NoGrad())
        {
            Assert.False(GradMode.IsEnabled);
            var y = x * 2;
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFn);
        }
        Assert.True(GradMode.IsEnabled);
        Assert.Equal("mul", (x * 2).GradFn!.Name);
    }

    [Fact]
    public void DetachCutsTheGraphButSharesValues()
    {
        var x = Leaf([1, 2], 2);
        var y = x * 3;
        var d = y.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        Assert.Equal(y.ToDoubleArray(), d.ToDoubleArray());
        (d * x).Sum().Backward();
        Assert.Equal([3, 6], x.Grad!.ToDoubleArray()); // d is a constant: no path through y
    }

    [Fact]
    public void RequiresGradCannotBeChangedOnAnOpResult()
    {
        var y = Leaf([1], 1) * 2;
        var e = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Contains("made by 'mul'", e.Message);
    }

    [Fact]
    public void LeafGradientsAreNotSharedBetweenLeaves()
    {
        var a = Leaf([1], 1);
        var b = Leaf([2], 1);
        (a + b).Sum().Backward(); // add passes the same gradient object to both inputs
        Assert.NotSame(a.Grad, b.Grad);
    }

    [Fact]
    public void MixedDtypesPromoteToFloat64AndGradientsConvertBack()
    {
        var single = Tensor.FromArray([1f, 2f]);
        single.RequiresGrad = true;
        var twice = Leaf([3, 4], 2);
        var y = single * twice;
        Assert.Equal(DType.Float64, y.DType);
        y.Sum().Backward();
        Assert.Equal(DType.Float32, single.Grad!.DType);
        Assert.Equal([3f, 4f], single.Grad.ToFloatArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ZeroedGradientBuffersGetTheSameGradientsAsFreshOnes(bool tiedWeights)
    {
        // The linear op writes dW straight into a zeroed buffer; a weight used twice must still get the sum of both uses.
        var weight = Tensor.Uniform([4, 4], -1, 1, new Generator(1));
        weight.RequiresGrad = true;
        var x = Tensor.Uniform([5, 4], -1, 1, new Generator(2));
        Tensor Loss() => (tiedWeights ? x.Linear(weight).Tanh().Linear(weight) : x.Linear(weight)).Sum();
        Loss().Backward();
        var fresh = weight.Grad!.ToFloatArray();

        for (int step = 0; step < 2; step++)
        {
            weight.ZeroGrad(setToNone: false);
            Loss().Backward();
            Assert.Equal(fresh, weight.Grad!.ToFloatArray());
        }
    }
}

namespace Backprop.Tests.Ops;

/// <summary>Pooling values and gradients on small inputs worked out by hand (PyTorch gives the same numbers), and the checks.</summary>
public class PoolingTests
{
    private static Tensor Leaf(double[] values, Shape shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }

    private static readonly double[] Grid = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    [Fact]
    public void MaxPoolTakesEachWindowsMaximumAndRoutesTheGradientThere()
    {
        var x = Leaf(Grid, [1, 1, 4, 4]);
        var y = x.MaxPool2d(2);
        Assert.Equal([6.0, 8, 14, 16], y.ToDoubleArray());
        y.Backward(Tensor.FromArray([1.0, 2, 3, 4], [1, 1, 2, 2]));
        Assert.Equal([0.0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void OverlappingMaxWindowsAddTheirGradients()
    {
        // 3×3 windows, stride 1, over a 4×4 grid: the 9 at (1, 1) lies in all four windows (the 5 at (3, 3) only in the
        // last, where the 9 beats it), so it gets the sum of all four gradients.
        var x = Leaf([0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5], [1, 1, 4, 4]);
        var y = x.MaxPool2d(3, stride: 1);
        Assert.Equal([9.0, 9, 9, 9], y.ToDoubleArray());
        y.Backward(Tensor.FromArray([1.0, 2, 3, 4], [1, 1, 2, 2]));
        Assert.Equal(10, x.Grad![0, 0, 1, 1]);
        Assert.Equal(10, x.Grad!.Sum().Item());
    }

    [Theory]
    [InlineData(2, 2, 0, 9, 11)]
    [InlineData(2, 2, 0, 7, 70)] // 2×2 at stride 2 on rows of 35 outputs: the 16-wide path twice, then 3 left over
    [InlineData(2, 2, 0, 28, 28)] // rows of 14 outputs (LeNet-5's): read on into the next rows, the last rows scalar
    [InlineData(3, 2, 1, 9, 11)]
    [InlineData(3, 1, 1, 9, 11)]
    [InlineData(2, 3, 1, 9, 11)]
    public void Float32PathPicksWhatTheScalarPathPicks(int kernel, int stride, int padding, int height, int width)
    {
        // Float32 takes the vectorised kernels, float64 the scalar one: the same maxima at the same positions, ties (small
        // integers), NaNs and −∞ included (the position shows in where the gradient lands).
        var g = new Generator(21);
        var values = new double[2 * 3 * height * width];
        for (int i = 0; i < values.Length; i++)
        {
            int draw = g.NextInt(40);
            values[i] = draw == 0 ? double.NaN : draw == 1 ? double.NegativeInfinity : draw % 4;
        }
        Array.Fill(values, double.NegativeInfinity, 0, height * width); // a plane of −∞ only: each window keeps its first position
        var x64 = Leaf(values, [2, 3, height, width]);
        var x32 = x64.Detach().To(DType.Float32);
        x32.RequiresGrad = true;
        var y64 = x64.MaxPool2d(kernel, stride, padding);
        var y32 = x32.MaxPool2d(kernel, stride, padding);
        Assert.Equal(y64.ToDoubleArray(), y32.ToDoubleArray());
        var upstream = Tensor.Arange(1, 1 + y64.Count, dtype: DType.Float64).Reshape(y64.Shape.ToArray());
        y64.Backward(upstream);
        y32.Backward(upstream.To(DType.Float32));
        Assert.Equal(x64.Grad!.ToDoubleArray(), x32.Grad!.ToDoubleArray());
    }

    [Fact]
    public void MaxPoolPaddingNeverWins()
    {
        // All values negative: a zero padding would win at the borders; PyTorch pads with −∞.
        var y = Tensor.FromArray([-1.0, -2, -3, -4], [1, 1, 2, 2]).MaxPool2d(2, stride: 1, padding: 1);
        Assert.Equal([-1.0, -1, -2, -1, -1, -2, -3, -3, -4], y.ToDoubleArray());
    }

    [Fact]
    public void AvgPoolCountsThePaddingUnlessToldNot()
    {
        var x = Tensor.FromArray([1.0, 2, 3, 4], [1, 1, 2, 2]);
        Assert.Equal([0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1], x.AvgPool2d(2, stride: 1, padding: 1).ToDoubleArray());
        Assert.Equal([1.0, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], x.AvgPool2d(2, stride: 1, padding: 1, countIncludePad: false).ToDoubleArray());
        var leaf = Leaf(Grid, [1, 1, 4, 4]);
        leaf.AvgPool2d(2).Sum().Backward();
        Assert.All(leaf.Grad!.ToDoubleArray(), v => Assert.Equal(0.25, v));
    }

    [Fact]
    public void AdaptiveAvgPoolUsesPyTorchsWindows()
    {
        // F.adaptive_avg_pool2d(torch.arange(1., 6).view(1, 1, 1, 5), (1, 3)): windows [0, 2), [1, 4), [3, 5).
        var x = Leaf([1, 2, 3, 4, 5], [1, 1, 1, 5]);
        var y = x.AdaptiveAvgPool2d((1, 3));
        Assert.Equal([1.5, 3, 4.5], y.ToDoubleArray());
        y.Sum().Backward();
        Assert.Equal([0.5, 0.5 + 1.0 / 3, 1.0 / 3, 1.0 / 3 + 0.5, 0.5], x.Grad!.ToDoubleArray());
        Assert.Equal([8.5], Leaf(Grid, [1, 1, 4, 4]).AdaptiveAvgPool2d(1).ToDoubleArray());
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;
        Assert.Equal("max_pool2d: padding (2, 2) must be at most half of the kernel size (3, 3)", Message(() => Tensor.Zeros([1, 1, 5, 5]).MaxPool2d(3, padding: 2)));
        Assert.Equal("avg_pool2d: input of shape [1,1,2,2] padded by (0, 0) is smaller than the kernel (3, 3)", Message(() => Tensor.Zeros([1, 1, 2, 2]).AvgPool2d(3)));
        Assert.Equal("max_pool2d: expects input [N,C,H,W] or [C,H,W], got shape [4,4]", Message(() => Tensor.Zeros([4, 4]).MaxPool2d(2)));
        Assert.Equal("adaptive_avg_pool2d: output size must be at least 1, got (0, 2)", Message(() => Tensor.Zeros([1, 1, 4, 4]).AdaptiveAvgPool2d((0, 2))));
        Assert.Equal(new Shape(3, 2, 2), Tensor.Zeros([3, 4, 5]).MaxPool2d(2).Shape); // one example [C, H, W]; the odd row is left out
    }
}

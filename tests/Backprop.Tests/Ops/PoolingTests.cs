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

namespace Backprop.Tests;

/// <summary>Expected strings are PyTorch 2.x's own prints of the same tensors, with Backprop's shape (and dtype names) added.</summary>
public class TensorFormatterTests
{
    [Fact]
    public void ScalarPrintsWithFourDecimals() =>
        Assert.Equal("tensor(1.5000)", Tensor.Scalar(1.5).ToString());

    [Fact]
    public void IntegralValuesPrintWithATrailingPoint() =>
        Assert.Equal("tensor([1., 2., 3.], shape=[3])", Tensor.FromArray([1f, 2f, 3f]).ToString());

    [Fact]
    public void MatrixRowsAlignUnderTheFirstBracket() =>
        Assert.Equal("tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]], shape=[2,2])",
            Tensor.FromArray(new float[,] { { 0.1f, 0.2f }, { 0.3f, 0.4f } }).ToString());

    [Fact]
    public void WideRangesSwitchToScientificNotation() =>
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=float64)", Tensor.FromArray([1e-5, 1.0]).ToString());

    [Fact]
    public void NegativeValuesPadToACommonWidth() =>
        Assert.Equal("tensor([-1.5000,  2.2500], shape=[2])", Tensor.FromArray([-1.5f, 2.25f]).ToString());

    [Fact]
    public void LargeTensorsAreSummarisedAndWrapped() =>
        // torch.arange(2000.) prints the same values and line break.
        Assert.Equal("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03], shape=[2000])",
            Tensor.Arange(0, 2000).ToString());

    [Fact]
    public void LargeMatricesElideRowsToo()
    {
        string text = Tensor.Zeros([100, 100]).ToString();
        Assert.Equal(
            "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        ...,\n" +
            "        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.]], shape=[100,100])", text);
    }

    [Fact]
    public void GradStateIsShown()
    {
        var w = Tensor.FromArray([0.8f]);
        w.RequiresGrad = true;
        Assert.Equal("tensor([0.8000], shape=[1], requires_grad=True)", w.ToString());
        Assert.Equal("tensor([1.6000], shape=[1], grad_fn=<mul>)", (w * 2).ToString());
    }

    [Fact]
    public void NonFiniteValuesPrintAsPyTorchDoes() =>
        Assert.Equal("tensor([nan, inf, 1.], shape=[3])", Tensor.FromArray([float.NaN, float.PositiveInfinity, 1f]).ToString());

    [Fact]
    public void Int64PrintsInFullWithoutAPoint()
    {
        // torch.tensor([1, 2]), torch.tensor(5), torch.tensor([[1, -20], [300, 4]]), torch.arange(2000), torch.arange(40) * 1000
        Assert.Equal("tensor([1, 2], shape=[2])", Tensor.FromArray([1L, 2]).ToString());
        Assert.Equal("tensor(5)", Tensor.Scalar(5, DType.Int64).ToString());
        Assert.Equal("tensor([[  1, -20],\n        [300,   4]], shape=[2,2])", Tensor.FromArray([1L, -20, 300, 4], [2, 2]).ToString());
        Assert.Equal("tensor([   0,    1,    2,  ..., 1997, 1998, 1999], shape=[2000])", Tensor.Arange(0, 2000, dtype: DType.Int64).ToString());
        Assert.Equal(
            "tensor([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,  9000,\n" +
            "        10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000,\n" +
            "        20000, 21000, 22000, 23000, 24000, 25000, 26000, 27000, 28000, 29000,\n" +
            "        30000, 31000, 32000, 33000, 34000, 35000, 36000, 37000, 38000, 39000], shape=[40])",
            Tensor.Arange(0, 40_000, 1000, DType.Int64).ToString());
    }
}

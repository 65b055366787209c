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
}

using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.Autograd;

public class AnomalyModeTests
{
    [Fact]
    public void AForwardInfinityNamesTheOp()
    {
        using var _ = new DetectAnomaly();
        Assert.Equal("log produced -inf in forward", Assert.Throws<AnomalyException>(() => Leaf(1, 0).Log()).Message);
    }

    [Fact]
    public void ABackwardInfinityNamesTheOpAndTheInput()
    {
        var x = Leaf(4, 0);
        var y = x.Sqrt().Sum(0); // √0 = 0 is fine; its derivative 1/(2√0) is not
        using var _ = new DetectAnomaly();
        Assert.Equal("sqrt produced inf in backward, in the gradient of its input 0", Assert.Throws<AnomalyException>(() => y.Backward()).Message);
    }

    [Fact]
    public void TheLayerOfTheOpIsNamed()
    {
        var model = new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1));
        using (new NoGrad())
        {
            foreach (var parameter in model.Parameters()) parameter.MulInPlace(0);
            ((Linear)model.Layers[0]).Weight.AddInPlace(Tensor.Ones([2, 2]));          // z0 = 2000 for both units
            ((Linear)model.Layers[2]).Weight.AddInPlace(Tensor.Ones([1, 2]), 1e38);    // z2 = 4e41: beyond float32
        }
        using var _ = new DetectAnomaly();
        Assert.Equal("linear in layer 2 (Linear) produced inf in forward", Assert.Throws<AnomalyException>(() => model.Forward(Tensor.Ones([1, 2]) * 1e3)).Message);
    }

    [Fact]
    public void ALeafHoldingNaNIsSaidToBeTheCause()
    {
        var model = new Sequential(new Linear(2, 1));
        using var _ = new DetectAnomaly();
        Assert.Equal("linear in layer 0 (Linear) received nan in its input 0, a leaf (data or a parameter), and produced nan in forward",
            Assert.Throws<AnomalyException>(() => model.Forward(Tensor.FromArray([float.NaN, 1f], [1, 2]))).Message);
    }

    [Fact]
    public void ABackwardAnomalyNamesWhereTheOpWasCreated()
    {
        var model = new Sequential(new Linear(2, 2), new Tanh());
        using var _ = new DetectAnomaly();
        var output = model.Forward(Tensor.Ones([1, 2]));
        var error = Assert.Throws<AnomalyException>(() => output.Backward(Tensor.FromArray([float.PositiveInfinity, 0f], [1, 2])));
        Assert.Equal("tanh (created in layer 1 (Tanh)) produced inf in backward, in the gradient of its input 0", error.Message);
    }

    [Fact]
    public void OffByDefault()
    {
        Assert.False(AnomalyMode.IsEnabled);
        var x = Leaf(0);
        var y = x.Sqrt().Sum(0);
        y.Backward();
        Assert.True(double.IsPositiveInfinity(x.Grad!.Item()));
        using (new DetectAnomaly()) Assert.True(AnomalyMode.IsEnabled);
        Assert.False(AnomalyMode.IsEnabled);
    }
}

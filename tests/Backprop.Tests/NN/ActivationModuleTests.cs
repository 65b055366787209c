using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>The activation layers with a parameter take it as PyTorch's do (<c>nn.LeakyReLU(negative_slope)</c>, <c>nn.ELU(alpha)</c>).</summary>
public class ActivationModuleTests
{
    [Fact]
    public void ActivationLayersTakeTheirParameters()
    {
        var x = Tensor.FromArray([-1.0, 2.0]);
        Assert.Equal([-0.2, 2.0], new LeakyReLU(0.2).Forward(x).ToDoubleArray());
        Assert.Equal([-0.01, 2.0], new LeakyReLU().Forward(x).ToDoubleArray());
        Assert.Equal(0.5 * (Math.Exp(-1) - 1), new ELU(0.5).Forward(x)[0], 1e-15);
        Assert.Equal(Math.Exp(-1) - 1, new ELU().Forward(x)[0], 1e-15);
        Assert.Equal((0.2, 0.5), (new LeakyReLU(0.2).NegativeSlope, new ELU(0.5).Alpha));
        Assert.Equal(Activation.LeakyReLU, new LeakyReLU(0.2).Activation);
    }
}

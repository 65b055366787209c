using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>
/// The activation layers with a parameter take it as PyTorch's do (<c>nn.LeakyReLU(negative_slope)</c>, <c>nn.ELU(alpha)</c>,
/// <c>nn.GELU(approximate)</c>).
/// </summary>
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

    [Fact]
    public void GeluTakesItsApproximation()
    {
        var x = Tensor.FromArray([-2.0, 1.0, 1.5]);
        Assert.Equal(x.GeluTanh().ToDoubleArray(), new GELU("tanh").Forward(x).ToDoubleArray());
        Assert.Equal(x.Gelu().ToDoubleArray(), new GELU().Forward(x).ToDoubleArray());
        Assert.Equal(("none", "tanh"), (new GELU().Approximate, new GELU("tanh").Approximate));
        Assert.Same(Activation.GELU, new GELU("tanh").Activation);
        Assert.Equal("GELU: approximate must be 'none' or 'tanh', got 'fast'", Assert.Throws<ArgumentException>(() => new GELU("fast")).Message);
    }

    [Fact]
    public void TheArchitectureTextWritesTheTanhGeluAsPyTorchDoes()
    {
        var architecture = Architecture.Parse("GELU('tanh'), GELU(approximate='none')");
        Assert.Equal("GELU(approximate='tanh'), GELU()", architecture.ToString());
        Assert.Equal(architecture.ToString(), Architecture.Parse(architecture.ToString()).ToString());
        var layers = architecture.Build().NamedChildren().Select(c => Assert.IsType<GELU>(c.Value)).ToList();
        Assert.Equal(["tanh", "none"], layers.Select(l => l.Approximate));
        Assert.Equal("architecture: GELU(approximate='fast'): approximate must be one of 'none', 'tanh', got 'fast'",
            Assert.Throws<ArgumentException>(() => Architecture.Parse("GELU(approximate='fast')").Build()).Message);
        Assert.Equal("architecture: GELU(approximate=1): approximate must be one of 'none', 'tanh', got 1",
            Assert.Throws<ArgumentException>(() => Architecture.Parse("GELU(approximate=1)").Build()).Message);
    }
}

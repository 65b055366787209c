using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>The image layers as modules: PyTorch's parameter shapes, state-dict names and initial bounds; Dropout2d; Flatten's axes.</summary>
public class ImageLayerTests
{
    /// <summary>The issue's LeNet-5, as <c>torch.nn.Sequential</c> writes it.</summary>
    internal static Sequential LeNet5(Generator? generator = null) => new(
        new Conv2d(1, 6, 5, padding: 2, generator: generator), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5, generator: generator), new ReLU(), new MaxPool2d(2), new Flatten(),
        new Linear(400, 120, generator: generator), new ReLU(), new Linear(120, 84, generator: generator), new ReLU(), new Linear(84, 10, generator: generator));

    [Fact]
    public void LeNetHasPyTorchsNamesAndShapes()
    {
        var model = LeNet5(new Generator(1));
        // torch.nn.Sequential(...).state_dict() for the same layers: these keys and shapes, in this order.
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"], model.StateDict().Keys);
        Assert.Equal(new Shape(6, 1, 5, 5), model.StateDict()["0.weight"].Shape);
        Assert.Equal(new Shape(16, 6, 5, 5), model.StateDict()["3.weight"].Shape);
        Assert.Equal(new Shape(16), model.StateDict()["3.bias"].Shape);
        Assert.Equal(new Shape(2, 10), model.Forward(Tensor.Zeros([2, 1, 28, 28])).Shape);
    }

    [Fact]
    public void ConvolutionStartsUniformInPlusMinusOneOverSquareRootOfFanIn()
    {
        // Kaiming-uniform with a = √5 (PyTorch's reset_parameters): bound = √(6/((1 + 5)·fan_in)) = 1/√fan_in, bias alike.
        foreach (var (layer, fanIn) in new[] { (new Conv2d(32, 64, 3, generator: new Generator(2)), 288), (new Conv2d(8, 64, (3, 2), groups: 4, generator: new Generator(3)), 12) })
        {
            double bound = 1 / Math.Sqrt(fanIn);
            var weights = layer.Weight.ToDoubleArray();
            Assert.All(weights, v => Assert.InRange(v, -bound, bound));
            Assert.True(weights.Max() > 0.99 * bound && weights.Min() < -0.99 * bound, "the weights fill the interval");
            Assert.All(layer.Bias!.ToDoubleArray(), v => Assert.InRange(v, -bound, bound));
        }
        Assert.Equal(new Shape(64, 2, 3, 2), new Conv2d(8, 64, (3, 2), groups: 4).Weight.Shape);
        Assert.Null(new Conv2d(1, 2, 3, bias: false).Bias);
        Assert.Equal(["weight"], new Conv2d(1, 2, 3, bias: false).StateDict().Keys);
    }

    [Fact]
    public void ConvolutionModuleChecksItsArgumentsAsPyTorch()
    {
        string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;
        Assert.Equal("conv2d: padding 'same' is not supported for strided convolutions (stride (2, 2))", Message(() => new Conv2d(1, 2, 3, stride: 2, padding: "same")));
        Assert.Equal("conv2d: 3 input and 6 output channels must both be divisible by groups=2", Message(() => new Conv2d(3, 6, 3, groups: 2)));
        Assert.Equal("conv2d: kernel size must be at least 1, got (0, 3)", Message(() => new Conv2d(3, 6, (0, 3))));
        var layer = new Conv2d(2, 4, (3, 5), stride: (2, 1), padding: "valid", dilation: 2);
        Assert.Equal(((Size2d)(3, 5), (Size2d)(2, 1), Padding2d.Valid, (Size2d)2), (layer.KernelSize, layer.Stride, layer.Padding, layer.Dilation));
        Assert.Equal("(3, 5) (2, 1) 'valid' (1, 1)", $"{layer.KernelSize} {layer.Stride} {layer.Padding} {(Padding2d)1}");
    }

    [Fact]
    public void PoolingModulesDefaultTheirStrideToTheKernel()
    {
        var pool = new MaxPool2d(3);
        Assert.Equal((Size2d)3, pool.Stride);
        Assert.Equal(new Shape(1, 2, 3, 3), pool.Forward(Tensor.Zeros([1, 2, 10, 9])).Shape);
        Assert.Equal(new Shape(1, 2, 5, 4), new AvgPool2d(2).Forward(Tensor.Zeros([1, 2, 10, 9])).Shape);
        Assert.Equal(new Shape(1, 2, 1, 1), new AdaptiveAvgPool2d(1).Forward(Tensor.Zeros([1, 2, 10, 9])).Shape);
        Assert.Empty(new Sequential(pool, new AvgPool2d(2), new AdaptiveAvgPool2d(1), new Dropout2d(), new Flatten()).StateDict());
    }

    [Fact]
    public void Dropout2dZeroesWholeChannelsAndScalesTheRest()
    {
        const double p = 0.3;
        var dropout = new Dropout2d(p, new Generator(5));
        var x = Tensor.Ones([50, 40, 3, 3]);
        x.RequiresGrad = true;
        var y = dropout.Forward(x);
        var values = y.ToFloatArray();
        float scale = (float)(1 / (1 - p));
        int dropped = 0;
        for (int channel = 0; channel < 2000; channel++)
        {
            var block = values.AsSpan(channel * 9, 9).ToArray();
            Assert.True(block.All(v => v == 0) || block.All(v => v == scale), $"channel {channel} is not all 0 or all {scale}: {string.Join(", ", block)}");
            if (block[0] == 0) dropped++;
        }
        // Binomial(2000, 0.3): standard error of the fraction √(0.21/2000) = 0.0102; four of them either side.
        Assert.InRange(dropped / 2000.0, 0.259, 0.341);
        y.Sum().Backward();
        Assert.Equal(values, x.Grad!.ToFloatArray()); // d/dx of x·mask is the mask

        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Equal(new Shape(2, 3, 4), new Dropout2d(0.5).Forward(Tensor.Ones([2, 3, 4])).Shape); // [N, C, L], channel by channel
        Assert.Equal("dropout2d: probability must be in [0, 1), got 1", Assert.Throws<ArgumentException>(() => new Dropout2d(1)).Message);
    }

    [Fact]
    public void FlattenTakesStartAndEndAxes()
    {
        var x = Tensor.Zeros([2, 3, 4, 5]);
        Assert.Equal(new Shape(2, 60), new Flatten().Forward(x).Shape);
        Assert.Equal(new Shape(2, 3, 20), new Flatten(2).Forward(x).Shape);
        Assert.Equal(new Shape(6, 4, 5), new Flatten(0, 1).Forward(x).Shape);
        Assert.Equal(new Shape(2, 12, 5), new Flatten(1, -2).Forward(x).Shape);
    }
}

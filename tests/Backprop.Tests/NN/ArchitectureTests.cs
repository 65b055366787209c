using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.NN;

public class ArchitectureTests
{
    [Theory]
    [InlineData("Linear(784, 128), ReLU(), Linear(128, 10)", "Linear(784, 128), ReLU(), Linear(128, 10)")]
    [InlineData("nn.Linear(in_features=784, out_features=128, bias=True), ReLU, torch.nn.Linear(128, 10,)", "Linear(784, 128), ReLU(), Linear(128, 10)")]
    [InlineData("Flatten(), Dropout(0.25), Linear(4, 2, False)", "Flatten(), Dropout(p=0.25), Linear(4, 2, bias=False)")]
    [InlineData("Flatten(1, -1), Dropout(p=0.5, inplace=True), ReLU(inplace=True)", "Flatten(), Dropout(inplace=True), ReLU(inplace=True)")]
    [InlineData("Softmax(dim=1), LogSoftmax(-1), GELU(approximate='none'), Softplus(beta=1, threshold=20.0)", "Softmax(dim=1), LogSoftmax(dim=-1), GELU(), Softplus()")]
    [InlineData("# a comment\nLinear(2, 3),   # another\n  Tanh()\n", "Linear(2, 3), Tanh()")]
    public void PrintsCanonically(string text, string canonical)
    {
        var architecture = Architecture.Parse(text);
        Assert.Equal(canonical, architecture.ToString());
        Assert.Equal(canonical, Architecture.Parse(canonical).ToString()); // the canonical text reads back as itself
    }

    [Fact]
    public void BuildsPyTorchsSequentialWithItsNamesAndInitialisation()
    {
        var model = (Sequential)Architecture.Parse("Linear(4, 3), Tanh(), Linear(3, 2, bias=False)").Build(new Generator(5));
        Assert.Equal(["0.weight", "0.bias", "2.weight"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal([new Shape(3, 4), new Shape(3), new Shape(2, 3)], model.Parameters().Select(p => p.Shape));

        // The same network as the --layers shorthand builds, drawn from the same generator: the same weights.
        var mlp = (Sequential)ModelDescription.Mlp([4, 3, 2], Activation.Tanh, new CrossEntropyLoss()).Build(new Generator(5));
        var fromText = (Sequential)Architecture.Parse("Linear(4, 3), Tanh(), Linear(3, 2)").Build(new Generator(5));
        Assert.Equal(mlp.Parameters().SelectMany(p => p.ToFloatArray()), fromText.Parameters().SelectMany(p => p.ToFloatArray()));
        var x = Tensor.FromArray([0.5f, -1, 2, 0.25f], [1, 4]);
        Assert.Equal(mlp.Forward(x).ToFloatArray(), fromText.Forward(x).ToFloatArray());
    }

    [Fact]
    public void ShapesChainThroughTheLayers()
    {
        var architecture = Architecture.Parse("Flatten(), Linear(784, 128), ReLU(), Linear(128, 10), Softmax(dim=1)");
        Assert.Equal([10], architecture.OutputShape([1, 28, 28]));
        Assert.Equal([2, 12], Architecture.Parse("Flatten(2), Linear(12, 12)").OutputShape([2, 3, 4]));
        Assert.Equal([6, 4, 5], Architecture.Parse("Flatten(1, 2)").OutputShape([2, 3, 4, 5]));
    }

    [Fact]
    public void LeNet5HasPyTorchsNamesAndShapes()
    {
        var lenet = Architecture.Parse("Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), " +
                                       "Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)");
        Assert.Equal([10], lenet.OutputShape([1, 28, 28]));
        var model = (Sequential)lenet.Build(new Generator(1));
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"], model.StateDict().Keys);
        Assert.Equal(new Shape(6, 1, 5, 5), model.StateDict()["0.weight"].Shape);
        Assert.Equal(new Shape(16, 6, 5, 5), model.StateDict()["3.weight"].Shape);
        Assert.Equal(new Shape(3, 10), model.Forward(Tensor.Zeros([3, 1, 28, 28])).Shape);
    }

    [Fact]
    public void ImageLayersChainAndCarryTheirBuffers()
    {
        var net = Architecture.Parse("nn.Conv2d(3, 8, kernel_size=(3, 5), stride=(1, 2), padding=1)");
        Assert.Equal([8, 32, 15], net.OutputShape([3, 32, 32])); // ⌊(32 + 2 − 3)/1⌋ + 1 = 32, ⌊(32 + 2 − 5)/2⌋ + 1 = 15
        var text = "Conv2d(3, 8, 3, padding='same', bias=False), BatchNorm2d(8, momentum=None), ReLU(), MaxPool2d(2, stride=1, padding=1), " +
                   "AvgPool2d((2, 4)), AdaptiveAvgPool2d(1), Dropout2d(0.1), Flatten(), Linear(8, 4), BatchNorm1d(4), LeakyReLU(0.2), ELU(alpha=0.5), Linear(4, 2)";
        var architecture = Architecture.Parse(text);
        Assert.Equal(text.Replace("Dropout2d(0.1)", "Dropout2d(p=0.1)").Replace("LeakyReLU(0.2)", "LeakyReLU(negative_slope=0.2)"), architecture.ToString());
        Assert.Equal([2], architecture.OutputShape([3, 9, 9]));
        var model = (Sequential)architecture.Build(new Generator(2));
        Assert.Equal(["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "8.weight", "8.bias", "9.weight", "9.bias", "9.running_mean", "9.running_var", "9.num_batches_tracked", "12.weight", "12.bias"], model.StateDict().Keys);
        Assert.Equal(new Shape(5, 2), model.Forward(Tensor.Rand([5, 3, 9, 9], new Generator(3))).Shape);
        Assert.Equal(0.2, ((LeakyReLU)model.Layers[10]).NegativeSlope);
    }

    [Theory]
    [InlineData("Flatten(), Linear(400, 120)", new[] { 16, 6, 6 }, "architecture: Linear(400, 120) gets 576 features from Flatten()")]
    [InlineData("Linear(784, 10)", new[] { 1, 28, 28 }, "architecture: Linear(784, 10) gets 28 features (the last axis of [1, 28, 28]) from the input [1, 28, 28]")]
    [InlineData("Tanh(), Flatten(0)", new[] { 3 }, "architecture: Flatten(start_dim=0) gets examples of shape [3] from Tanh(): start_dim 0 and end_dim -1 must name example axes, in order, of a batch of rank 2")]
    [InlineData("Conv2d(1, 6, 5), Conv2d(3, 16, 5)", new[] { 1, 28, 28 }, "architecture: Conv2d(3, 16, 5) gets 6 channels from Conv2d(1, 6, 5)")]
    [InlineData("Conv2d(1, 6, 5)", new[] { 1, 4, 4 }, "architecture: Conv2d(1, 6, 5) gets examples of shape [1, 4, 4] from the input [1, 4, 4]: a window of 5 does not fit in 4 (with 0 of padding)")]
    [InlineData("Flatten(), Conv2d(1, 6, 5)", new[] { 1, 28, 28 }, "architecture: Conv2d(1, 6, 5) gets examples of shape [784] from Flatten(): it takes images [channels, height, width]")]
    [InlineData("BatchNorm2d(3)", new[] { 1, 28, 28 }, "architecture: BatchNorm2d(3) gets 1 channels from the input [1, 28, 28]")]
    [InlineData("Conv2d(1, 2, 3, stride=2, padding='same')", new[] { 1, 28, 28 }, "architecture: Conv2d(1, 2, 3, stride=2, padding='same'): padding 'same' is not supported for strided convolutions (stride (2, 2))")]
    public void ShapesThatDoNotChainNameTheLayerAndItsSource(string text, int[] input, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).OutputShape(input)).Message);

    [Theory]
    [InlineData("Linear(4, 2), Conv3d(1, 2, 3)", "architecture: unknown layer 'Conv3d' (known: ")]
    [InlineData("Linear(4)", "architecture: Linear(4): missing 'out_features' (Linear(in_features, out_features, bias=True))")]
    [InlineData("Linear(4, 2, True, 7)", "architecture: Linear(4, 2, True, 7): takes at most 3 arguments, got 4 (Linear(in_features, out_features, bias=True))")]
    [InlineData("Linear(4, 2, biass=False)", "architecture: Linear(4, 2, biass=False): no argument 'biass' (Linear(in_features, out_features, bias=True))")]
    [InlineData("Linear(4, out_features=2, in_features=3)", "architecture: Linear(4, out_features=2, in_features=3): 'in_features' given by position and by keyword")]
    [InlineData("Linear(4, 2.5)", "architecture: Linear(4, 2.5): out_features must be an integer, got 2.5")]
    [InlineData("Linear(0, 2)", "architecture: Linear(0, 2): in_features must be at least 1, got 0")]
    [InlineData("Linear(4, 2, bias=1)", "architecture: Linear(4, 2, bias=1): bias must be True or False, got 1")]
    [InlineData("Softplus(2)", "architecture: Softplus(beta=2): beta 2 is not supported (only 1.0)")]
    [InlineData("MaxPool2d(2, ceil_mode=True)", "architecture: MaxPool2d(2, ceil_mode=True): ceil_mode True is not supported (only False)")]
    [InlineData("Conv2d(1, 6, 5, padding='full')", "architecture: Conv2d(1, 6, 5, padding='full'): padding must be an integer, a pair, 'same' or 'valid', got 'full'")]
    [InlineData("Conv2d(1, 6, (5, 5, 5))", "architecture: Conv2d(1, 6, (5, 5, 5)): kernel_size must be an integer or a pair of integers, got (5, 5, 5)")]
    [InlineData("Linear(4, 2) ReLU()", "architecture: expected ',', found 'R' at column 14 of 'Linear(4, 2) ReLU()'")]
    [InlineData("Linear(4, 2", "architecture: Linear: expected ',' or ')' at column 12 of 'Linear(4, 2'")]
    [InlineData("Linear(out_features=2, 4)", "architecture: Linear: a positional argument follows a keyword argument at column 24 of 'Linear(out_features=2, 4)'")]
    [InlineData("Linear(4, 2, bias=maybe)", "architecture: 'maybe' is not a value (expected a number, True, False, None, a quoted string or a tuple) at column 19 of 'Linear(4, 2, bias=maybe)'")]
    [InlineData("Linear(4, 2),\nReLU(),\nDropout(0.5.5)", "architecture: '0.5.5' is not a number at line 3, column 9 of 'Dropout(0.5.5)'")]
    [InlineData("", "architecture: no layers (expected text such as 'Linear(784, 10)')")]
    public void BadTextIsOneLineNamingTheLayerAndTheArgument(string text, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Architecture.Parse(text).Build());
        Assert.StartsWith(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        if (!message.EndsWith("(known: ", StringComparison.Ordinal)) Assert.Equal(message, error.Message);
    }
}

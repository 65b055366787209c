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
        var model = Architecture.Parse("Linear(4, 3), Tanh(), Linear(3, 2, bias=False)").Build(new Generator(5));
        Assert.Equal(["0.weight", "0.bias", "2.weight"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal([new Shape(3, 4), new Shape(3), new Shape(2, 3)], model.Parameters().Select(p => p.Shape));

        // The same network as the --layers shorthand builds, drawn from the same generator: the same weights.
        var mlp = new ModelSpec([4, 3, 2], Activation.Tanh, LossKind.CrossEntropy).Build(new Generator(5));
        var fromText = Architecture.Parse("Linear(4, 3), Tanh(), Linear(3, 2)").Build(new Generator(5));
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

    [Theory]
    [InlineData("Flatten(), Linear(400, 120)", new[] { 16, 6, 6 }, "architecture: Linear(400, 120) gets 576 features from Flatten()")]
    [InlineData("Linear(784, 10)", new[] { 1, 28, 28 }, "architecture: Linear(784, 10) gets 28 features (the last axis of [1, 28, 28]) from the input [1, 28, 28]")]
    [InlineData("Tanh(), Flatten(0)", new[] { 3 }, "architecture: Flatten(start_dim=0) gets examples of shape [3] from Tanh(): start_dim 0 and end_dim -1 must name example axes, in order, of a batch of rank 2")]
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
    [InlineData("LeakyReLU(0.2)", "architecture: LeakyReLU(negative_slope=0.2): negative_slope 0.2 is not supported (only 0.01)")]
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

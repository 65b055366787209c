using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>The state dict an architecture's text implies, derived without building it, and the shape arithmetic that guards it.</summary>
public class ArchitectureStateTests
{
    /// <summary>Between them, these use every layer the text can name, with each option that changes what a layer registers.</summary>
    private static readonly string[] Networks =
    [
        "Linear(4, 3), ReLU(), Linear(3, 2, bias=False), Tanh(), Sigmoid(), Identity(), BinaryStep(), SiLU(), GELU(), Softplus(), LeakyReLU(0.1), ELU(), Softmax(dim=1), LogSoftmax(dim=1), Dropout()",
        "Conv2d(4, 6, (3, 2), padding=1, groups=2), BatchNorm2d(6), MaxPool2d(2), Conv2d(6, 3, 1, bias=False), BatchNorm2d(3, affine=False), AvgPool2d(2), Dropout2d(), AdaptiveAvgPool2d(1), Flatten()",
        "BatchNorm1d(5, track_running_stats=False), BatchNorm1d(5, momentum=None), Linear(5, 2)",
        "Embedding(10, 4, padding_idx=-1), LayerNorm(4), LayerNorm((2, 4), bias=False), LayerNorm(4, elementwise_affine=False)",
        "LSTM(3, 5, num_layers=2), GRU(5, 4, bias=False), RNN(4, 2, 3, nonlinearity='relu')",
        "MultiheadAttention(4, 2), MultiheadAttention(6, 3, bias=False, batch_first=True)",
        "GPT(11, 8, 2, 2, 8)", // alone: the model itself, with nanoGPT's keys (no "0." prefix)
        "GPT(11, 8, 1, 2, 8, bias=False)",
        "Embedding(11, 4), GPT(11, 8, 1, 2, 4)", // beside other layers: a child of the Sequential like any layer
    ];

    [Fact]
    public void StateShapesAreTheBuiltModelsStateDict()
    {
        foreach (string text in Networks)
        {
            var architecture = Architecture.Parse(text);
            var built = architecture.Build(new Generator(1)).StateDict();
            var derived = architecture.StateShapes();
            Assert.Equal(built.Keys, derived.Keys);
            Assert.Equal(built.Values.Select(t => t.Shape), derived.Values);
        }
        // A layer added to the catalog without a case here fails, so its state rule cannot go unchecked.
        Assert.Empty(LayerCatalog.Names.Except(Networks.SelectMany(text => Architecture.Parse(text).Layers.Select(layer => layer.Name))));
    }

    [Fact]
    public void StateShapesAllocateNothingForAHugeNetwork()
    {
        var architecture = Architecture.Parse("Conv2d(1, 100000, 3), Flatten(), Linear(67600000, 10)");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var shapes = architecture.StateShapes();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal([new Shape(100000, 1, 3, 3), new Shape(100000), new Shape(10, 67600000), new Shape(10)], shapes.Values);
        Assert.True(allocated < 100_000, $"{allocated} bytes allocated to describe 676 million parameters");
    }

    [Theory]
    [InlineData("Linear(100000, 100000)", new[] { 100000 }, "architecture: Linear(100000, 100000): its weight of shape [100000, 100000] holds more values than one tensor can")]
    [InlineData("Conv2d(4, 6, 3, groups=4)", new[] { 4, 8, 8 }, "architecture: Conv2d(4, 6, 3, groups=4): groups must divide both 4 input and 6 output channels, got 4")]
    public void ATensorThatCannotExistIsRefusedNamingItsLayer(string text, int[] input, string message)
    {
        var architecture = Architecture.Parse(text);
        architecture.OutputShape(input); // the shapes chain: only the state is wrong
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => architecture.StateShapes()).Message);
    }

    [Theory]
    // 100000 × 30000 × 30000 values would wrap around an int; counted in long, they are refused.
    [InlineData("Conv2d(1, 100000, 1), Flatten()", new[] { 1, 30000, 30000 }, "architecture: Flatten() gets examples of shape [100000, 30000, 30000] from Conv2d(1, 100000, 1): the flattened axis would hold more values than one tensor can")]
    [InlineData("Conv2d(1, 1, 3, dilation=2000000000)", new[] { 1, 8, 8 }, "architecture: Conv2d(1, 1, 3, dilation=2000000000): kernel_size 3 with dilation 2000000000 spans 4000000001 values, more than a tensor's axis can hold")]
    [InlineData("Conv2d(1, 1, 1, padding=2000000000)", new[] { 1, 8, 8 }, "architecture: Conv2d(1, 1, 1, padding=2000000000) gets examples of shape [1, 8, 8] from the input [1, 8, 8]: 8 values with 4000000000 of padding are more than a tensor's axis can hold")]
    [InlineData("MaxPool2d(3, padding=2000000000)", new[] { 1, 8, 8 }, "architecture: MaxPool2d(3, padding=2000000000): padding must be at most half the kernel size, as in PyTorch, got (2000000000, 2000000000) for a kernel of (3, 3)")]
    public void AbsurdSizesAreRefusedRatherThanWrappedAround(string text, int[] input, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).OutputShape(input)).Message);
}

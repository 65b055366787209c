using Backprop.IO;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Tests.IO;

/// <summary>
/// The image layers exported: each kind in a small network that ONNX Runtime runs at batch 1 and 3, within 1e-4 of
/// Backprop's outputs in evaluation mode.
/// </summary>
public class OnnxImageLayerTests
{
    public static TheoryData<string> Convolutions() => [.. ConvolutionCases.Keys];

    private static readonly Dictionary<string, Func<Generator, Conv2d>> ConvolutionCases = new()
    {
        ["plain"] = g => new Conv2d(2, 4, 3, generator: g),
        ["stride and padding pairs"] = g => new Conv2d(2, 4, (3, 2), stride: (2, 1), padding: (1, 2), generator: g),
        ["same, odd kernel"] = g => new Conv2d(2, 3, 3, padding: "same", generator: g),
        ["same, even kernel (the odd zero at the bottom and right)"] = g => new Conv2d(2, 3, (4, 2), padding: "same", generator: g),
        ["same with dilation"] = g => new Conv2d(2, 3, 2, padding: "same", dilation: (3, 2), generator: g),
        ["valid"] = g => new Conv2d(2, 3, 2, padding: "valid", generator: g),
        ["dilation and stride"] = g => new Conv2d(2, 3, 3, stride: 2, padding: 1, dilation: 2, generator: g),
        ["groups"] = g => new Conv2d(4, 6, 3, padding: 1, groups: 2, generator: g),
        ["depthwise"] = g => new Conv2d(4, 4, 3, groups: 4, generator: g),
        ["no bias"] = g => new Conv2d(2, 5, 3, bias: false, generator: g),
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Convolution(string name)
    {
        var conv = ConvolutionCases[name](new Generator(6));
        var model = new Sequential(conv, new ReLU());
        OnnxRuntimeAssert.SameOutputs(model, [conv.InChannels, 7, 9]);
        var node = OnnxExport.ToModel(model, [conv.InChannels, 7, 9]).Graph.Node[0];
        Assert.Equal(("Conv", conv.Bias is null ? 2 : 3), (node.OpType, node.Input.Count));
    }

    [Fact]
    public void SamePaddingIsWrittenAsExplicitPadsWithTheOddOneAtTheBottomAndRight()
    {
        var model = new Sequential(new Conv2d(1, 1, (4, 3), padding: "same", dilation: (1, 2)));
        var pads = OnnxExport.ToModel(model, [1, 6, 6]).Graph.Node[0].Attribute.Single(a => a.Name == "pads");
        Assert.Equal([1, 2, 2, 2], pads.Ints); // [top, left, bottom, right]: 3 rows of padding split 1 + 2, 4 columns 2 + 2
    }

    public static TheoryData<string> Poolings() => [.. PoolingCases.Keys];

    private static readonly Dictionary<string, Func<Module>> PoolingCases = new()
    {
        ["max 2"] = () => new MaxPool2d(2),
        ["max 3, stride 2, padding 1"] = () => new MaxPool2d(3, 2, 1),
        ["max (2, 3), stride (1, 2)"] = () => new MaxPool2d((2, 3), (1, 2)),
        ["avg 2"] = () => new AvgPool2d(2),
        ["avg 3, stride 2, padding 1, padding counted"] = () => new AvgPool2d(3, 2, 1),
        ["avg 3, stride 2, padding 1, padding not counted"] = () => new AvgPool2d(3, 2, 1, countIncludePad: false),
        ["avg (2, 4), stride (2, 1), padding (1, 2), padding not counted"] = () => new AvgPool2d((2, 4), (2, 1), (1, 2), countIncludePad: false),
        ["adaptive 1×1"] = () => new AdaptiveAvgPool2d(1),
        ["adaptive 3×3 of 6×9"] = () => new AdaptiveAvgPool2d((3, 3)),
        ["adaptive 2×9 of 6×9"] = () => new AdaptiveAvgPool2d((2, 9)),
    };

    [Theory]
    [MemberData(nameof(Poolings))]
    public void Pooling(string name)
    {
        var model = new Sequential(new Conv2d(2, 3, 1, generator: new Generator(7)), PoolingCases[name](), new Flatten(), new Tanh());
        OnnxRuntimeAssert.SameOutputs(model, [2, 6, 9]);
    }

    [Fact]
    public void AdaptivePoolingIsGlobalForOneByOneAndRefusedWhereTheWindowsDiffer()
    {
        string OpOf(Module pool) => OnnxExport.ToModel(new Sequential(pool), [2, 6, 9]).Graph.Node[0].OpType;
        Assert.Equal("GlobalAveragePool", OpOf(new AdaptiveAvgPool2d(1)));
        Assert.Equal("AveragePool", OpOf(new AdaptiveAvgPool2d((3, 3))));
        Assert.Equal("onnx export: layer 1 (AdaptiveAvgPool2d(4)) gets 6×9 inputs, which 4×4 outputs do not divide evenly; ONNX pools equal windows only",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new ReLU(), new AdaptiveAvgPool2d(4)), [2, 6, 9])).Message);
    }

    [Fact]
    public void BatchNorm2dUsesTheRunningStatisticsAfterTraining()
    {
        var g = new Generator(8);
        var model = new Sequential(new Conv2d(2, 4, 3, bias: false, generator: g), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 5 * 7, 3, generator: g));
        TrainOneStep(model, [2, 7, 9]);
        var norm = (BatchNorm2d)model.Layers[1];
        Assert.True(norm.RunningMean!.ToFloatArray().All(m => m != 0) && norm.Weight!.ToFloatArray().All(w => w != 1)); // non-trivial statistics and γ
        OnnxRuntimeAssert.SameOutputs(model, [2, 7, 9]);
    }

    [Fact]
    public void BatchNorm1dOfFeaturesAndOfSequences()
    {
        var g = new Generator(9);
        var features = new Sequential(new Linear(5, 6, generator: g), new BatchNorm1d(6, eps: 1e-3), new ELU(), new Linear(6, 2, generator: g));
        TrainOneStep(features, [5]);
        OnnxRuntimeAssert.SameOutputs(features, [5]);

        var sequences = new Sequential(new BatchNorm1d(3, momentum: null), new Flatten(), new Linear(15, 2, generator: g));
        TrainOneStep(sequences, [3, 5]);
        TrainOneStep(sequences, [3, 5]);
        OnnxRuntimeAssert.SameOutputs(sequences, [3, 5]);
    }

    [Fact]
    public void BatchNormWithoutAffineUsesOnesAndZeros()
    {
        var model = new Sequential(new Conv2d(1, 3, 2, generator: new Generator(10)), new BatchNorm2d(3, affine: false), new Flatten());
        TrainOneStep(model, [1, 4, 4]);
        OnnxRuntimeAssert.SameOutputs(model, [1, 4, 4]);
    }

    [Fact]
    public void BatchNormWithoutRunningStatisticsIsRefused()
    {
        var model = new Sequential(new Conv2d(1, 3, 2, generator: new Generator(10)), new BatchNorm2d(3, trackRunningStats: false), new Flatten());
        Assert.Equal("onnx export: layer 1 (BatchNorm2d(3, track_running_stats=False)) keeps no running statistics, so it normalises each batch by its own " +
            "and its output depends on the rest of the batch; export needs track_running_stats=True", Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model, [1, 4, 4])).Message);
    }

    [Theory]
    [InlineData(1, -1, "Flatten")]
    [InlineData(1, 3, "Flatten")]
    [InlineData(2, -1, "Reshape")]
    [InlineData(1, 2, "Reshape")]
    [InlineData(-2, -1, "Reshape")]
    [InlineData(2, 2, "Reshape")]
    public void FlattenOfAnyAxes(int start, int end, string op)
    {
        var g = new Generator(11);
        var probe = new Flatten(start, end).Forward(Tensor.Zeros([1, 2, 3, 4]));
        var model = new Sequential(new Tanh(), new Flatten(start, end), new Linear(probe.Shape[-1], 2, generator: g)); // Linear on more than two axes: MatMul
        OnnxRuntimeAssert.SameOutputs(model, [2, 3, 4]);
        Assert.Equal(op, OnnxExport.ToModel(model, [2, 3, 4]).Graph.Node[1].OpType);
    }

    [Fact]
    public void LeNetWithDropout2dRunsInOnnxRuntime()
    {
        var model = (Sequential)Architecture.Parse("Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Dropout2d(0.25), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), " +
            "Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)").Build(new Generator(12));
        OnnxRuntimeAssert.SameOutputs(model, [1, 28, 28]);
    }

    /// <summary>One SGD step in training mode on a batch of 4 with a non-zero mean, so BatchNorm's statistics and γ, β move.</summary>
    private static void TrainOneStep(Sequential model, int[] inputShape)
    {
        model.Train();
        var input = Tensor.Uniform([4, .. inputShape], -1, 3, new Generator(13));
        var output = model.Forward(input);
        (output * Tensor.Uniform(output.Shape, -1, 1, new Generator(14))).Sum().Backward();
        new Sgd(model.Parameters(), 0.1).Step();
        model.ZeroGrad();
    }
}

using Backprop.Losses;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.IO;

/// <summary>Exported MLPs run in ONNX Runtime and give Backprop's outputs; the file's header; what export refuses, by name.</summary>
public class OnnxExportTests
{
    public static TheoryData<string> Activations() => [.. Activation.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Activations))]
    public void AnMlpWithEachActivationRunsInOnnxRuntime(string activation)
    {
        var spec = ModelDescription.Mlp([6, 5, 4, 3], Activation.Parse(activation), new CrossEntropyLoss());
        OnnxRuntimeAssert.SameOutputs((Sequential)spec.Build(new Generator(3)), [6], tolerance: 1e-5);
    }

    [Fact]
    public void SoftmaxLogSoftmaxFlattenAndDropout()
    {
        var generator = new Generator(4);
        OnnxRuntimeAssert.SameOutputs(new Sequential(new Flatten(), new Linear(6, 5, generator: generator), new Tanh(), new Dropout(0.3), new Linear(5, 3, generator: generator), new Softmax()), [6], 1e-5);
        OnnxRuntimeAssert.SameOutputs(new Sequential(new Linear(6, 3, bias: false, generator: generator), new LogSoftmax(-1)), [6], 1e-5);
    }

    [Fact]
    public void LeakyReluAndEluTakeTheirParametersFromTheModule()
    {
        var generator = new Generator(5);
        var model = new Sequential(new Linear(6, 8, generator: generator), new LeakyReLU(0.2), new Linear(8, 8, generator: generator), new ELU(0.5), new Linear(8, 3, generator: generator));
        var nodes = OnnxExport.ToModel(model, [6]).Graph.Node;
        Assert.Equal(0.2f, Assert.Single(nodes.Single(n => n.OpType == "LeakyRelu").Attribute).F);
        Assert.Equal(0.5f, Assert.Single(nodes.Single(n => n.OpType == "Elu").Attribute).F);
        OnnxRuntimeAssert.SameOutputs(model, [6]);
        // With the defaults' 0.01 and 1.0 the outputs would differ by far more than the tolerance: the parameters matter here.
        OnnxRuntimeAssert.SameOutputs(new Sequential(new LeakyReLU(0.3), new ELU(2.5)), [4, 5]);
    }

    [Fact]
    public void TheTanhGeluIsBuiltFromTanhAndTheExactOneFromErf()
    {
        var generator = new Generator(6);
        var model = new Sequential(new Linear(6, 8, generator: generator), new GELU("tanh"), new Linear(8, 8, generator: generator), new GELU(), new Linear(8, 3, generator: generator));
        var ops = OnnxExport.ToModel(model, [6]).Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(1, ops.Count(op => op == "Tanh"));
        Assert.Equal(1, ops.Count(op => op == "Erf"));
        OnnxRuntimeAssert.SameOutputs(model, [6], 1e-5);
        // On [−3, 3] the two forms differ by up to 4.7e-4, far beyond the tolerance: the tanh form is the one exported.
        OnnxRuntimeAssert.SameOutputs(new Sequential(new GELU("tanh")), [4, 5], 1e-5);
    }

    [Fact]
    public void TheFileDeclaresOpset17IrVersion8AndADynamicBatch()
    {
        var model = OnnxExport.ToModel((Sequential)ModelDescription.Mlp([6, 3], Activation.ReLU, new CrossEntropyLoss()).Build(new Generator(1)), [6]);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(["batch", "6"], model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam is "" ? d.DimValue.ToString() : d.DimParam));
        Assert.Equal(["batch", "3"], model.Graph.Output[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam is "" ? d.DimValue.ToString() : d.DimParam));
        var gemm = Assert.Single(model.Graph.Node);
        Assert.Equal("Gemm", gemm.OpType);
        Assert.Equal(["input", "0.weight", "0.bias"], gemm.Input);
        Assert.Equal(1, Assert.Single(gemm.Attribute).I); // transB
        Assert.Equal(["0.weight", "0.bias"], model.Graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void ExportingLeavesTheModelsModesAndStatisticsAsTheyWere()
    {
        var model = new Sequential(new Conv2d(1, 2, 3, generator: new Generator(1)), new BatchNorm2d(2), new Dropout2d(), new Flatten(), new Linear(8, 2, generator: new Generator(2)));
        model.Layers[2].Eval(); // one child in another mode than its parent
        var before = model.StateDict().ToDictionary(e => e.Key, e => e.Value.ToFloatArray());
        OnnxExport.ToBytes(model, [1, 4, 4]);
        Assert.Equal([true, true, false, true, true], model.Layers.Select(l => l.IsTraining));
        Assert.True(model.IsTraining);
        foreach (var (name, value) in model.StateDict()) Assert.Equal(before[name], value.ToFloatArray());
    }

    [Fact]
    public void UnsupportedLayersAreNamed()
    {
        Assert.Equal("onnx export: layer 1 (Doubling) has no ONNX equivalent here; export supports Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, " +
            "BatchNorm1d/2d with running statistics, Flatten, Dropout, Dropout2d, the activations, Softmax, LogSoftmax, Embedding, LayerNorm, RNN, LSTM, GRU, " +
            "MultiheadAttention (self-attention) and GPT",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new Linear(4, 4), new Doubling()), [4])).Message);
        Assert.Equal("onnx export: layer 1 (Flatten(0, -1)) merges the batch axis into the others; export keeps the batch axis, so start_dim must be at least 1",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new Linear(4, 4), new Flatten(0)), [4])).Message);
    }

    [Fact]
    public void AnInputShapeTheModelDoesNotTakeIsNamed()
    {
        var message = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new Tanh(), new Linear(4, 2)), [5])).Message;
        Assert.StartsWith("onnx export: layer 1 (Linear(4, 2)) does not take input of shape [5] per example: ", message);
    }

    /// <summary>A user's own module, which export cannot know.</summary>
    private sealed class Doubling : Module
    {
        public override Tensor Forward(Tensor input) => input * 2;
    }
}

using Backprop.NN;
using Backprop.IO;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.IO;

/// <summary>Exported models run in ONNX Runtime and give Backprop's outputs, for every supported layer.</summary>
public class OnnxExportTests
{
    public static TheoryData<string> Activations() => [.. ActivationNames.All];

    [Theory]
    [MemberData(nameof(Activations))]
    public void AnMlpWithEachActivationRunsInOnnxRuntime(string activation)
    {
        var spec = new ModelSpec([6, 5, 4, 3], ActivationNames.Parse(activation), LossKind.CrossEntropy);
        AssertSameOutputs(spec.Build(new Generator(3)));
    }

    [Fact]
    public void SoftmaxLogSoftmaxFlattenAndDropout()
    {
        var generator = new Generator(4);
        AssertSameOutputs(new Sequential(new Flatten(), new Linear(6, 5, generator: generator), new Tanh(), new Dropout(0.3), new Linear(5, 3, generator: generator), new Softmax()));
        AssertSameOutputs(new Sequential(new Linear(6, 3, bias: false, generator: generator), new LogSoftmax(-1)));
    }

    [Fact]
    public void TheFileDeclaresOpset17IrVersion8AndADynamicBatch()
    {
        var model = OnnxExport.ToModel(new ModelSpec([6, 3], Activation.ReLU, LossKind.CrossEntropy).Build(new Generator(1)));
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal("batch", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(6, model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue);
        var gemm = Assert.Single(model.Graph.Node);
        Assert.Equal("Gemm", gemm.OpType);
        Assert.Equal(["input", "0.weight", "0.bias"], gemm.Input);
        Assert.Equal(1, Assert.Single(gemm.Attribute).I); // transB
        Assert.Equal(["0.weight", "0.bias"], model.Graph.Initializer.Select(t => t.Name));
    }

    [Fact]
    public void UnsupportedLayersAreNamed()
    {
        var model = new Sequential(new Linear(4, 4), new Flatten(0));
        Assert.Equal("onnx export: layer 1 (Flatten(0, -1)) has no ONNX equivalent here; export supports linear layers, activations, softmax, log-softmax, flatten and dropout",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model)).Message);
    }

    /// <summary>Runs the export in ONNX Runtime at two batch sizes and compares with Backprop's forward pass in eval mode.</summary>
    private static void AssertSameOutputs(Sequential model)
    {
        model.Eval();
        using var session = new InferenceSession(OnnxExport.ToBytes(model));
        foreach (int batch in new[] { 1, 7 })
        {
            var input = Tensor.Uniform([batch, 6], -3, 3, new Generator((ulong)batch));
            var expected = model.Forward(input);
            var values = input.ToFloatArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(values, [batch, 6]))]);
            var actual = results.Single(r => r.Name == "output").AsTensor<float>();
            // Every model here ends in 3 outputs; equal shapes first, so the element-wise loop covers both outputs whole.
            Assert.Equal(new Shape(batch, 3), expected.Shape);
            Assert.Equal([batch, 3], actual.Dimensions.ToArray());
            var want = expected.ToFloatArray();
            var got = actual.ToArray();
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= 1e-5, $"output {i}: Backprop {want[i]}, ONNX Runtime {got[i]}");
        }
    }
}

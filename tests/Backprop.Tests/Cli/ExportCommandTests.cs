using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Cli;

public class ExportCommandTests
{
    [Fact]
    public void ASavedModelRunsInOnnxRuntimeWithTheSamePredictions()
    {
        using var dir = new TempDirectory();
        var spec = new ModelSpec([4, 8, 3], Activation.Tanh, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(2));
        ModelFile.Save(dir.File("m.safetensors"), model, ModelDescription.FromMlp(spec));

        var (code, output, error) = CliRunner.Run("export", "--model", dir.File("m.safetensors"), "--onnx", dir.File("m.onnx"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("input 'input' [batch, 4], output 'output' [batch, 3]", output);

        var input = Tensor.Uniform([5, 4], -1, 1, new Generator(9));
        using var session = new InferenceSession(dir.File("m.onnx"));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), [5, 4]))]);
        var onnxOutput = results.Single(r => r.Name == "output").AsTensor<float>();
        Assert.Equal([5, 3], onnxOutput.Dimensions.ToArray()); // [batch, outputs]: a shorter output must not pass element-wise
        var expected = model.Forward(input).ToFloatArray();
        var actual = onnxOutput.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"output {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
    }

    [Fact]
    public void AMissingModelIsOneLine()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("export", "--model", dir.File("none.safetensors"), "--onnx", dir.File("m.onnx"));
        Assert.Equal(2, code);
        Assert.StartsWith($"backprop: {dir.File("none.safetensors")}: cannot be read", error);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }
}

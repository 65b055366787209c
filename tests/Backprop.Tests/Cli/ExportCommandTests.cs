using Backprop.Losses;
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
        var spec = ModelDescription.Mlp([4, 8, 3], Activation.Tanh, new CrossEntropyLoss());
        var model = (Sequential)spec.Build(new Generator(2));
        ModelFile.Save(dir.File("m.safetensors"), model, spec);

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
    public void AConvNetTrainedWithArchRunsInOnnxRuntimeWithTheSameOutputs()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyImages();
        string arch = "Conv2d(1, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Conv2d(4, 8, 3, padding='same', bias=False), LeakyReLU(0.1), " +
            "AdaptiveAvgPool2d(2), Dropout2d(0.2), Flatten(), Linear(32, 3)";
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--arch", arch, "--epochs", "2", "--batch-size", "8", "--save", dir.File("m.safetensors")).Code);

        var (code, output, error) = CliRunner.Run("export", "--model", dir.File("m.safetensors"), "--onnx", dir.File("m.onnx"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("input 'input' [batch, 1, 8, 8], output 'output' [batch, 3] (logits)", output);

        var (model, _) = ModelFile.Load(dir.File("m.safetensors"));
        Assert.NotEqual(0f, ((BatchNorm2d)((Sequential)model).Layers[1]).RunningMean!.ToFloatArray()[0]); // trained statistics travel
        model.Eval();
        var input = Tensor.Uniform([5, 1, 8, 8], 0, 1, new Generator(9));
        using var session = new InferenceSession(dir.File("m.onnx"));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), [5, 1, 8, 8]))]);
        var onnxOutput = results.Single(r => r.Name == "output").AsTensor<float>();
        Assert.Equal([5, 3], onnxOutput.Dimensions.ToArray());
        var expected = model.Forward(input).ToFloatArray();
        var actual = onnxOutput.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"output {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
    }

    [Fact]
    public void ALayerOnnxCannotExpressIsOneLineNamingIt()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyImages();
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--arch", "Conv2d(1, 2, 3), AdaptiveAvgPool2d(4), Flatten(), Linear(32, 3)", "--epochs", "1",
            "--save", dir.File("m.safetensors")).Code);
        var before = dir.Snapshot();
        CliAssert.OneLineError(CliRunner.Run("export", "--model", dir.File("m.safetensors"), "--onnx", dir.File("m.onnx")),
            "onnx export: layer 1 (AdaptiveAvgPool2d(4)) gets 6×6 inputs, which 4×4 outputs do not divide evenly; ONNX pools equal windows only");
        Assert.Equal(before, dir.Snapshot());
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

using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.Cli;

/// <summary>train --arch: any sequential network in PyTorch's constructor syntax, through training, the model file, eval and predict.</summary>
public class ArchOptionTests
{
    private const string Mlp = "Flatten(), Linear(4, 6), Tanh(), Linear(6, 2)";

    [Fact]
    public void TrainsSavesTheArchitectureAndEvaluatesAndPredictsWithoutFlags()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = dir.File("m.safetensors");
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--arch", "nn.Flatten(), nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 2)",
            "--optimizer", "adam", "--lr", "0.05", "--batch-size", "8", "--epochs", "3", "--save", model);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains($"training {Mlp} ([1, 2, 2] inputs, cross-entropy) on 40 examples, testing on 40", output);

        var saved = Safetensors.Load(model);
        Assert.Equal(Mlp, saved.Metadata["backprop.architecture"]);
        Assert.Equal("1,2,2", saved.Metadata["backprop.input_shape"]);
        Assert.Equal("cross-entropy", saved.Metadata["backprop.loss"]);
        Assert.Equal(["1.weight", "1.bias", "3.weight", "3.bias"], saved.Tensors.Keys); // torch.nn.Sequential's names

        string testLine = output.Split('\n').Single(l => l.StartsWith("test:", StringComparison.Ordinal));
        var (evalCode, evaluation, evalError) = CliRunner.Run("eval", "--model", model, "--data", data);
        Assert.Equal("", evalError);
        Assert.Equal(0, evalCode);
        Assert.StartsWith($"40 examples: {testLine["test: ".Length..testLine.IndexOf(" (", StringComparison.Ordinal)]}", evaluation);

        var (predictCode, predictions, _) = CliRunner.Run("predict", "--model", model, "--input", Path.Combine(data, "t10k-images-idx3-ubyte"));
        Assert.Equal(0, predictCode);
        Assert.Equal(41, predictions.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void AStateDictWithoutMetadataIsDescribedByArch()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string plain = dir.File("plain.safetensors");
        var network = Architecture.Parse(Mlp).Build(new Generator(3));
        Safetensors.Save(plain, network.StateDict()); // as PyTorch's save_file writes a state dict

        var (code, output, error) = CliRunner.Run("eval", "--model", plain, "--arch", Mlp, "--data", data);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.StartsWith("40 examples: loss ", output);
        CliAssert.OneLineError(CliRunner.Run("eval", "--model", plain, "--arch", "Flatten(), Linear(4, 3), Tanh(), Linear(3, 2)", "--data", data),
            $"{plain}: 1.weight has shape [6, 4] in the file, Linear(4, 3) needs [3, 4]");
    }

    [Fact]
    public void AStateDictWithoutMetadataExportsWithItsInputShape()
    {
        using var dir = new TempDirectory();
        string plain = dir.File("plain.safetensors");
        Safetensors.Save(plain, Architecture.Parse(Mlp).Build(new Generator(3)).StateDict());
        CliAssert.OneLineError(CliRunner.Run("export", "--model", plain, "--arch", Mlp, "--onnx", dir.File("m.onnx")),
            "--arch needs --input-shape, the shape of one example, such as 1,6,6");
        Assert.False(File.Exists(dir.File("m.onnx")));

        var (code, output, error) = CliRunner.Run("export", "--model", plain, "--arch", Mlp, "--input-shape", "1,2,2", "--onnx", dir.File("m.onnx"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal($"Wrote {dir.File("m.onnx")}: {Mlp}, input 'input' [batch, 1, 2, 2], output 'output' [batch, 2] (logits).", output.TrimEnd());
    }

    [Fact]
    public void ArchComesFromAFileOrAPreset()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string file = dir.WriteText("net.arch", "# a tiny MLP\nFlatten(),\nLinear(4, 6),\nTanh(),\nLinear(6, 2)\n");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--arch", file, "--epochs", "1", "--save", dir.File("m.safetensors")).Code);
        Assert.Equal(Mlp, Safetensors.Load(dir.File("m.safetensors")).Metadata["backprop.architecture"]);

        string bad = dir.WriteText("bad.arch", "Flatten(),\nLinear(4, 6) Tanh()\n");
        CliAssert.OneLineError(CliRunner.Run("train", "--data", data, "--arch", bad, "--save", dir.File("m.safetensors")),
            $"--arch {bad}: architecture: expected ',', found 'T' at line 2, column 14 of 'Linear(4, 6) Tanh()'");
        CliAssert.OneLineError(CliRunner.Run("train", "--data", data, "--arch", "lenet6", "--save", dir.File("m.safetensors")),
            "--arch: 'lenet6' is not a preset (lenet5), a file, or layers such as 'Linear(784, 10)'");
    }

    [Theory]
    [InlineData(new[] { "--arch", "Flatten(), Linear(5, 2)" }, "architecture: Linear(5, 2) gets 4 features from Flatten()")]
    [InlineData(new[] { "--arch", "Linear(4, 2)" }, "architecture: Linear(4, 2) gets 2 features (the last axis of [1, 2, 2]) from the input [1, 2, 2]")]
    [InlineData(new[] { "--arch", "Tanh()" }, "architecture: one example's output has shape [1, 2, 2]; the last layer must give one axis of outputs (flatten before it)")]
    [InlineData(new[] { "--arch", "Flatten(), Linear(4, 2)", "--layers", "4,2" }, "--arch and --layers: give one of them, not both")]
    [InlineData(new[] { "--arch", "Flatten(), Linear(4, 2)", "--activation", "tanh" }, "--activation applies to --layers; with --arch, write the activations as layers")]
    [InlineData(new string[0], "give the network: --arch or --layers")]
    public void BadNetworksAreRefusedBeforeTraining(string[] network, string message)
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        var before = dir.Snapshot();
        CliAssert.OneLineError(CliRunner.Run(["train", "--data", data, .. network, "--save", dir.File("m.safetensors")]), message);
        Assert.Equal(before, dir.Snapshot());
    }
}

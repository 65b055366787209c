using System.Globalization;
using Backprop.IO;
using Xunit.Abstractions;

namespace Backprop.Tests.Cli;

/// <summary>
/// Convolutional networks through the command line against PyTorch 1.13 (Debian's python3-torch), from fixtures that
/// scripts/make-pytorch-mnist-fixtures.py wrote (its docstring says how to regenerate them): 24 training steps of a conv
/// net with BatchNorm from PyTorch's initial state, and a BatchNorm conv net PyTorch trained, evaluated. Needs MNIST
/// (<see cref="MnistData"/>).
/// </summary>
[Trait("Category", "Dataset")]
public class PyTorchConvParityTests(ITestOutputHelper output)
{
    /// <summary>The bound on weights and running statistics after 24 steps.</summary>
    private const double Tolerance = 2e-4;

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void TwentyFourStepsEndAtPyTorchsWeightsAndRunningStatistics(string name)
    {
        var fixture = PyTorchFixture.Load("conv-steps.json");
        var configuration = PyTorchFixture.Named(fixture.GetProperty("configurations"), name);
        using var dir = new TempDirectory();
        string trained = dir.File("out.safetensors");
        string[] args =
        [
            "train", "--data", MnistData.Directory, "--arch", fixture.GetProperty("arch").GetString()!,
            "--init", PyTorchFixture.File(fixture.GetProperty("init").GetString()!),
            .. configuration.GetProperty("options").EnumerateArray().Select(o => o.GetString()!),
            "--batch-size", fixture.GetProperty("batch_size").GetInt32().ToString(CultureInfo.InvariantCulture), "--no-shuffle",
            "--epochs", "1", "--steps", fixture.GetProperty("steps").GetInt32().ToString(CultureInfo.InvariantCulture), "--save", trained,
        ];
        var (code, printed, error) = CliRunner.Run(args);
        Assert.True(code == 0, $"backprop {string.Join(' ', args)} failed: {error}{printed}");

        var ours = Safetensors.Load(trained).Tensors;
        var theirs = Safetensors.Load(PyTorchFixture.File(configuration.GetProperty("weights").GetString()!)).Tensors;
        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        foreach (var (key, expected) in theirs.Where(p => p.Value.DType == DType.Int64))
        {
            Assert.Equal(expected.ToInt64Array(), ours[key].ToInt64Array()); // num_batches_tracked: 24
        }
        var floats = theirs.Where(p => p.Value.DType != DType.Int64).ToDictionary(p => p.Key, p => p.Value);
        var differences = floats.Keys.ToDictionary(key => key, key => PyTorchFixture.LargestDifference(ours[key], floats[key]));
        foreach (var (key, difference) in differences) output.WriteLine($"{name} {key}: largest difference from PyTorch {difference:G3}");
        var (worst, largest) = differences.MaxBy(p => p.Value);
        Assert.True(largest <= Tolerance, $"{name}: {worst} differs from PyTorch's by up to {largest:G3}");
    }

    [Fact]
    public void APyTorchTrainedConvNetWithBatchNormEvaluatesToPyTorchsAccuracy()
    {
        var fixture = PyTorchFixture.Load("conv-trained.json");
        string model = PyTorchFixture.File(fixture.GetProperty("weights").GetString()!);
        Assert.Empty(Safetensors.Load(model).Metadata); // as safetensors.torch.save_file writes a state dict

        var (code, printed, error) = CliRunner.Run("eval", "--model", model, "--arch", fixture.GetProperty("arch").GetString()!, "--data", MnistData.Directory);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        // "10000 examples: loss 0.1042, accuracy 96.96 %"
        string line = printed.Split('\n')[0];
        output.WriteLine(line);
        double accuracy = double.Parse(line.Split("accuracy ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        double loss = double.Parse(line.Split("loss ")[1].Split(',')[0], CultureInfo.InvariantCulture);
        Assert.Equal(100 * fixture.GetProperty("accuracy").GetDouble(), accuracy, 0.01);
        Assert.Equal(fixture.GetProperty("loss").GetDouble(), loss, 0.0001);
    }
}

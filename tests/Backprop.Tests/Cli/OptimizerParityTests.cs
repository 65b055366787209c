using Backprop.Losses;
using Backprop.IO;
using Backprop.Tests.Training;
using Backprop.Training;
using Xunit.Abstractions;

namespace Backprop.Tests.Cli;

/// <summary>
/// The done-criterion: from identical initial weights, `backprop train` with each of the seven optimizer
/// configurations (sgd, momentum, nesterov, SGD with weight decay, adam, adamw, rmsprop) ends within 2e-4 (here: 1e-5) of
/// PyTorch's weights after 24 steps (a 4-8-3 ReLU MLP, cross-entropy on Fixtures/PyTorch/tiny.csv, batch size 32 in file
/// order). PyTorch's weights come from PyTorch 1.13 (Debian's python3-torch) through scripts/make-pytorch-fixtures.py, which
/// wrote Fixtures/PyTorch/mlp-training.json with the train options of each configuration; its docstring says how to
/// regenerate it. adamw and rmsprop are given only --lr: the point is that the command line's defaults are PyTorch's
/// (AdamW's weight decay 0.01; RMSprop without momentum).
/// </summary>
public class OptimizerParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// Tighter than the 2e-4, which adamw would pass without its default weight decay (1.2e-4 off); float32 summation
    /// order alone leaves differences near 2e-7. See <see cref="PyTorchTrainingFixtureTests.Tolerance"/>.
    /// </summary>
    private const double Tolerance = PyTorchTrainingFixtureTests.Tolerance;

    public static TheoryData<string> Configurations() => PyTorchTrainingFixtureTests.Configurations();

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TrainMatchesPyTorchAfterTwentyFourSteps(string name)
    {
        var fixture = PyTorchTrainingFixtureTests.Fixture;
        var configuration = PyTorchTrainingFixtureTests.Configuration(name);
        var spec = PyTorchTrainingFixtureTests.Spec;
        using var dir = new TempDirectory();
        string init = dir.File("init.safetensors"), trained = dir.File("out.safetensors");
        ModelFile.Save(init, PyTorchTrainingFixtureTests.InitialModel(), spec);

        string[] args =
        [
            "train", "--data", PyTorchFixture.File(fixture.GetProperty("data").GetString()!), "--target", fixture.GetProperty("target").GetString()!,
            "--layers", string.Join(',', PyTorchTrainingFixtureTests.Layers), "--activation", fixture.GetProperty("activation").GetString()!,
            "--loss", fixture.GetProperty("loss").GetString()!,
            .. configuration.GetProperty("options").EnumerateArray().Select(o => o.GetString()!),
            "--batch-size", fixture.GetProperty("batch_size").GetInt32().ToString(), "--no-shuffle",
            "--epochs", fixture.GetProperty("epochs").GetInt32().ToString(), "--steps", fixture.GetProperty("steps").GetInt32().ToString(),
            "--init", init, "--save", trained,
        ];
        var (code, printed, error) = CliRunner.Run(args);
        Assert.True(code == 0, $"backprop {string.Join(' ', args[..^4])} failed: {error}{printed}");

        var weights = Safetensors.Load(trained).Tensors;
        var (difference, where) = PyTorchFixture.LargestDifference(weights, PyTorchFixture.StateDict(configuration.GetProperty("weights")));
        output.WriteLine($"backprop {string.Join(' ', args[..^4])}: largest weight difference from PyTorch {difference:G3} ({where})");
        Assert.True(difference <= Tolerance, $"{name}: {where} differs from PyTorch's by up to {difference:G3}");
    }
}

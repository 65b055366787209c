namespace Backprop.Tests.Cli;

/// <summary>
/// Needs MNIST, which <see cref="MnistData"/> installs. Filter with <c>--filter Category!=Dataset</c> to leave it out.
/// </summary>
[Trait("Category", "Dataset")]
public class MnistTests
{
    [Fact]
    public void OneEpochOnMnistLearnsTheDigits()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("train", "--data", MnistData.Directory, "--layers", "784,32,10", "--epochs", "1",
            "--save", dir.File("mnist.safetensors"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        string accuracy = output.Split('\n').Single(l => l.StartsWith("test:")).Split("accuracy ")[1].Split(' ')[0];
        Assert.True(double.Parse(accuracy, System.Globalization.CultureInfo.InvariantCulture) > 90, output);
    }
}

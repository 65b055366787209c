using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Distributed;

/// <summary>
/// The issue's check on real data: MNIST 784-128-10 trained by two processes with batches of 32 reaches the accuracy of
/// one process with batches of 64, within 0.3 points, and both report their samples/s. Needs MNIST (<see cref="MnistData"/>)
/// and Open MPI.
/// </summary>
[Trait("Category", "Dataset")]
public class DistributedMnistTests
{
    [SkippableFact]
    public void TwoProcessesOf32_ReachTheAccuracyOfOneOf64()
    {
        using var dir = new TempDirectory();
        string[] common = ["train", "--data", MnistData.Directory, "--layers", "784,128,10", "--epochs", "1", "--threads", "1"];
        var (code, two, error, _) = Mpirun.RunBackprop(2, [.. common, "--batch-size", "32", "--distributed", "--save", dir.File("two.safetensors")]);
        Assert.True(code == 0, two + error);
        var (oneCode, one, oneError) = CliRunner.Run([.. common, "--batch-size", "64", "--save", dir.File("one.safetensors")]);
        Assert.True(oneCode == 0, oneError);
        Assert.Equal(Accuracy(one), Accuracy(two), 0.3);
        Assert.Matches(@"samples/s", one);
        Assert.Matches(@"samples/s", two);
    }

    /// <summary>The test accuracy in percent from the last line train prints before it saves ("test: loss …, accuracy 96.75 % (…)").</summary>
    private static double Accuracy(string output) =>
        double.Parse(Regex.Match(output, @"^test: loss [0-9.]+, accuracy ([0-9.]+) %", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
}

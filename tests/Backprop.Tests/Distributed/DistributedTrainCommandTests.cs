using Backprop.IO;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Distributed;

/// <summary><c>mpirun -np 2 backprop train … --distributed</c>: the same model as one process with twice the batch; rank 0 alone prints and writes.</summary>
[Trait("Category", "Mpi")]
public class DistributedTrainCommandTests
{
    [SkippableFact]
    public void TwoProcesses_TrainAsOneWithTwiceTheBatch_AndResumeFromTheirCheckpoint()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist(count: 64);
        string[] common = ["train", "--data", data, "--layers", "4,6,2", "--no-shuffle", "--threads", "1"];
        // In file order, rank r's batch k of 8 is examples 16k + r, 16k + r + 2, …: together, one process's batch k of 16.
        var (code, output, error, _) = Mpirun.RunBackprop(2, [.. common, "--epochs", "2", "--batch-size", "8", "--distributed",
            "--save", dir.File("two.safetensors"), "--checkpoint", dir.File("checkpoints")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("2 processes with batches of 8 each", output);
        Assert.Single(output.Split('\n'), line => line.StartsWith("saved ", StringComparison.Ordinal)); // rank 0 alone prints
        Assert.Single(output.Split('\n'), line => line.StartsWith("epoch 2/2", StringComparison.Ordinal));
        Assert.True(File.Exists(Backprop.Training.Checkpoint.PathIn(dir.File("checkpoints"))));

        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "2", "--batch-size", "16", "--save", dir.File("one.safetensors")]).Code);
        AssertClose(dir.File("one.safetensors"), dir.File("two.safetensors"));

        // A third epoch, resumed by both ranks from rank 0's checkpoint, ends where three epochs in one go end.
        (code, output, error, _) = Mpirun.RunBackprop(2, [.. common, "--epochs", "3", "--batch-size", "8", "--distributed",
            "--save", dir.File("two.safetensors"), "--resume", dir.File("checkpoints")]);
        Assert.True(code == 0, output + error);
        Assert.Contains("resuming from", output);
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "3", "--batch-size", "16", "--save", dir.File("one.safetensors")]).Code);
        AssertClose(dir.File("one.safetensors"), dir.File("two.safetensors"));
    }

    [SkippableFact]
    public void SeveralProcessesWithoutDistributed_AreRefused()
    {
        using var dir = new TempDirectory();
        var (code, _, error, _) = Mpirun.RunBackprop(2, ["train", "--data", dir.WriteTinyMnist(), "--layers", "4,2", "--save", dir.File("m.safetensors")]);
        Assert.NotEqual(0, code);
        Assert.Contains("backprop: mpirun started this as one of 2 processes: add --distributed to train together", error);
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }

    private static void AssertClose(string expectedPath, string actualPath)
    {
        var expected = Safetensors.Load(expectedPath).Tensors;
        var actual = Safetensors.Load(actualPath).Tensors;
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value.ToFloatArray(), actual[key].ToFloatArray(), (a, b) => Math.Abs(a - b) <= 1e-5);
        }
    }
}

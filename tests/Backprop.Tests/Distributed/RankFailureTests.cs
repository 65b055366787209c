using Backprop.IO;

namespace Backprop.Tests.Distributed;

/// <summary>A rank that dies mid-epoch ends the whole job with a message naming it, and leaves the last model file whole.</summary>
[Trait("Category", "Mpi")]
public class RankFailureTests
{
    [SkippableFact]
    public void KilledRank_EndsTheJobNamingIt_AndTheModelFileIsTheLastEpochs()
    {
        using var dir = new TempDirectory();
        var (code, output, error, elapsed) = Mpirun.Run(2, ["die", dir.Path]);
        Assert.NotEqual(0, code);
        Assert.Contains("process rank 1", output + error); // Open MPI's: "mpirun noticed that process rank 1 … exited on signal 9 (Killed)"
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"the job took {elapsed.TotalSeconds:0} s to end");
        var model = Safetensors.Load(dir.File("model.safetensors"));
        Assert.Equal("1", model.Metadata["epoch"]);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.Tensors.Keys);
    }
}

using Backprop.Distributed;

namespace Backprop.Tests.Distributed;

/// <summary>The MPI process group: its collectives on two ranks, its timeout, and the message when Open MPI is missing.</summary>
[Trait("Category", "Mpi")]
public class ProcessGroupTests
{
    [SkippableFact]
    public void Collectives_GiveEveryRankTheSameValues()
    {
        var (code, output, error, _) = Mpirun.Run(2, ["collectives"]);
        Assert.True(code == 0, output + error);
        Assert.Contains("rank 0 of 2: collectives ok", output);
        Assert.Contains("rank 1 of 2: collectives ok", output);
    }

    [SkippableFact]
    public void Collective_ThatARankNeverJoins_AbortsTheJobNamingTheRank()
    {
        // Rank 1 sleeps for a minute instead of joining the barrier; rank 0's 2-second timeout must end the job long before.
        var (code, _, error, elapsed) = Mpirun.Run(2, ["timeout"]);
        Assert.NotEqual(0, code);
        Assert.Contains("rank 0 of 2: barrier did not complete within 2 s", error);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the job took {elapsed.TotalSeconds:0} s to end");
    }

    [Fact]
    public void MissingLibmpi_IsOneLineNamingTheFix()
    {
        var e = Assert.Throws<DllNotFoundException>(() => ProcessGroup.Initialize(null, "libmpi-not-installed.so.40"));
        Assert.Contains("install openmpi-bin", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

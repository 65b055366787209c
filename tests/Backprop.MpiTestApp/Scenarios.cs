using Backprop.Distributed;

namespace Backprop.MpiTestApp;

/// <summary>What one rank does in each test scenario; the exit code is 0 when the rank saw what it expected.</summary>
public static class Scenarios
{
    /// <summary>Runs scenario <c>args[0]</c> with the rest of <paramref name="args"/>.</summary>
    public static int Run(string[] args) => args.FirstOrDefault() switch
    {
        "collectives" => Collectives(),
        "timeout" => Timeout(),
        "train" when args.Length == 2 => TrainingScenarios.Distributed(args[1]),
        "die" when args.Length == 2 => TrainingScenarios.RankDiesMidEpoch(args[1]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Backprop.MpiTestApp collectives | timeout | train FOLDER | die FOLDER");
        return 2;
    }

    /// <summary>Broadcast, all-reduce (blocking and started), barrier: each rank checks the values it gets.</summary>
    private static int Collectives()
    {
        using var group = ProcessGroup.Initialize();
        int n = group.WorldSize, r = group.Rank;
        var failures = new List<string>();
        float[] sums = [r + 1, 10 * (r + 1)];
        group.AllReduce<float>(sums);
        float total = n * (n + 1) / 2f;
        if (sums[0] != total || sums[1] != 10 * total) failures.Add($"all-reduce gave {sums[0]}, {sums[1]}");

        double[] fromRoot = r == 0 ? [1.5, -2.25] : [0, 0];
        group.Broadcast<double>(fromRoot);
        if (fromRoot[0] != 1.5 || fromRoot[1] != -2.25) failures.Add($"broadcast gave {fromRoot[0]}, {fromRoot[1]}");

        long[] counts = [r];
        group.Broadcast<long>(counts, root: n - 1);
        if (counts[0] != n - 1) failures.Add($"broadcast from the last rank gave {counts[0]}");

        var large = Enumerable.Range(0, 1 << 20).Select(i => (float)(i % 7)).ToArray();
        var request = group.StartAllReduce<float>(large);
        while (!request.Test()) Thread.Yield();
        request.Wait();
        if (large[5] != 5 * n || large[1 << 19] != (1 << 19) % 7 * n) failures.Add($"started all-reduce gave {large[5]}");
        group.Barrier();

        Console.WriteLine(failures.Count == 0 ? $"rank {r} of {n}: collectives ok" : $"rank {r} of {n}: {string.Join("; ", failures)}");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Rank 1 never joins the barrier: rank 0, with a 2-second timeout, must abort the job naming itself.</summary>
    private static int Timeout()
    {
        using var group = ProcessGroup.Initialize(TimeSpan.FromSeconds(2));
        if (group.Rank == 1) Thread.Sleep(TimeSpan.FromSeconds(60));
        else group.Barrier();
        return 0;
    }
}

using System.Diagnostics;

namespace Compare;

/// <summary>
/// Where a training step's time and managed allocations go: each phase (zero grad, forward, loss, backward, optimizer
/// step) measured on its own, with a stopwatch and this thread's allocation counter around it, over every batch of an
/// epoch, for either library. Medians per phase.
/// </summary>
internal sealed class StepProfile
{
    public static readonly string[] Phases = ["zero grad", "forward", "loss", "backward", "optimizer step", "whole step"];

    private readonly List<double>[] microseconds = Phases.Select(_ => new List<double>()).ToArray();
    private readonly List<double>[] bytes = Phases.Select(_ => new List<double>()).ToArray();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long stepTicks, lastTicks, stepBytes, lastBytes;
    private int phase;

    /// <summary>Starts a step; each following <see cref="Mark"/> ends one phase, in the order of <see cref="Phases"/>.</summary>
    public void BeginStep()
    {
        phase = 0;
        stepBytes = lastBytes = GC.GetAllocatedBytesForCurrentThread();
        stepTicks = lastTicks = clock.ElapsedTicks;
    }

    public void Mark()
    {
        long ticks = clock.ElapsedTicks;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Add(phase++, ticks - lastTicks, allocated - lastBytes);
        if (phase == Phases.Length - 1) Add(phase, ticks - stepTicks, allocated - stepBytes);
        lastTicks = clock.ElapsedTicks;
        lastBytes = GC.GetAllocatedBytesForCurrentThread();
    }

    private void Add(int index, long ticks, long allocated)
    {
        microseconds[index].Add(ticks * 1e6 / Stopwatch.Frequency);
        bytes[index].Add(allocated);
    }

    /// <summary>The median of each phase, in microseconds.</summary>
    public double[] MedianMicroseconds() => Medians(microseconds);

    /// <summary>The median managed bytes allocated on this thread by each phase.</summary>
    public double[] MedianBytes() => Medians(bytes);

    private static double[] Medians(List<double>[] samples) => samples.Select(s => s.Order().ElementAt(s.Count / 2)).ToArray();
}

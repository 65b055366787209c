using System.Diagnostics;
using Backprop;
using Backprop.Distributed;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

/// <summary>
/// The parts of a data-parallel training step of LeNet-5 at batch 32 per process, one kernel thread each: mean
/// milliseconds of forward, backward, <see cref="DistributedDataParallel.ReduceGradients"/> (the all-reduce and the wait
/// for the slowest rank) and the optimizer step, per rank, after 20 steps of warm-up; with "noddp" the ranks compute
/// side by side without synchronising (what running together costs the machine).
/// </summary>
internal static class StepTiming
{
    private const string LeNet5 = "Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)";

    public static void Run(ProcessGroup group, int steps, bool distributed)
    {
        Threads.Count = 1;
        var model = Architecture.Parse(LeNet5).Build(new Generator(1));
        using var parallel = distributed ? new DistributedDataParallel(model, group) : null;
        var optimizer = new Sgd(model.Parameters(), 0.01, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        var features = Tensor.Rand([32, 1, 28, 28], new Generator(2));
        var targets = Tensor.FromArray(Enumerable.Range(0, 32).Select(i => (float)(i % 10)).ToArray());
        var ticks = new long[4]; // forward, backward, reduce, optimizer step
        for (int i = -20; i < steps; i++)
        {
            using var scope = new TensorScope();
            optimizer.ZeroGrad(setToNone: false);
            long start = Stopwatch.GetTimestamp();
            var value = loss.Forward(model.Forward(features), targets);
            long forward = Stopwatch.GetTimestamp();
            value.Backward();
            long backward = Stopwatch.GetTimestamp();
            parallel?.ReduceGradients();
            long reduced = Stopwatch.GetTimestamp();
            optimizer.Step();
            long stepped = Stopwatch.GetTimestamp();
            if (i < 0) continue; // warm-up
            ticks[0] += forward - start;
            ticks[1] += backward - forward;
            ticks[2] += reduced - backward;
            ticks[3] += stepped - reduced;
        }
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency / steps;
        Console.WriteLine($"rank {group.Rank} of {group.WorldSize}: forward {Ms(ticks[0]):F3} ms, backward {Ms(ticks[1]):F3} ms, " +
            $"reduce {Ms(ticks[2]):F3} ms, optimizer {Ms(ticks[3]):F3} ms per step{(distributed ? "" : " (no synchronisation)")}");
    }
}

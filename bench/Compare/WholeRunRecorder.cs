using System.Diagnostics;

namespace Compare;

/// <summary>
/// The clock and the checks of a whole training run (<see cref="Figure.WholeRun"/>), the same on both sides. Each side
/// starts it when its network and its data are in its own tensors, reports every optimizer step's loss, and finishes it with
/// the test accuracy once measured: the figure is the wall seconds in between, epochs and evaluation together, cold (JIT,
/// pools and libtorch's allocator start as in a user's first run). The checks: the first step's loss and, after
/// <see cref="EarlySteps"/> steps, the mean loss and how far the weights moved (the clock stopped while they are read), which
/// show that both started alike and drew the same shuffled batches; then the step count, how far the weights moved in all,
/// and the test accuracy.
/// </summary>
internal sealed class WholeRunRecorder(Func<double> moved)
{
    /// <summary>The seed of the shuffles: each epoch's order is a fresh 0…N−1 shuffled from one generator, as Backprop's DataLoader draws it.</summary>
    public const ulong ShuffleSeed = 2;

    /// <summary>The early checks are taken after this many steps (the default warm-up of the step workloads).</summary>
    public const int EarlySteps = 20;

    public const string EarlyLoss = "mean loss, steps 1–20", EarlyMoved = "moved, step 20";

    private readonly Stopwatch clock = new();
    private int steps;
    private double firstLoss, earlyLossSum, earlyMoved;

    public void Start() => clock.Start();

    public void Step(double loss)
    {
        steps++;
        if (steps == 1) firstLoss = loss;
        if (steps <= EarlySteps) earlyLossSum += loss;
        if (steps != EarlySteps) return;
        clock.Stop();
        earlyMoved = moved();
        clock.Start();
    }

    public Measured Finish(double testAccuracy)
    {
        clock.Stop();
        if (steps < EarlySteps) throw new InvalidOperationException($"a whole run of {steps} steps: the checks need at least {EarlySteps}");
        return new Measured(clock.Elapsed.TotalSeconds, new Dictionary<string, double>
        {
            ["loss, step 1"] = firstLoss,
            [EarlyLoss] = earlyLossSum / EarlySteps,
            [EarlyMoved] = earlyMoved,
            ["steps"] = steps,
            ["moved, end"] = moved(),
            ["test accuracy"] = testAccuracy,
        });
    }
}

namespace Compare;

/// <summary>
/// What one side measured for one workload: the figure (samples/s, µs per call or GFLOP/s, see <see cref="SeparateWorkload"/>)
/// and named check values, computed the same way on both sides from what each library produced, that must agree between
/// the two to show that both computed the same thing; for training, also the managed bytes allocated per timed step on all
/// threads (for libtorch only its .NET side's, not its native memory).
/// </summary>
internal sealed record Measured(double Value, IReadOnlyDictionary<string, double> Checks, double? BytesPerStep = null)
{
    /// <summary>Σ|v| in double: a checksum of a tensor's values that both sides compute with the same code.</summary>
    public static double SumAbs(float[] values) => values.Sum(v => Math.Abs((double)v));

    /// <summary>
    /// A training run, the same on both sides: <paramref name="warmup"/> then <paramref name="steps"/> calls of
    /// <paramref name="step"/> (step i: its loss and its batch's size), samples/s of the timed steps, and the checks: the
    /// first step's loss (the same weights on the same batch: only float32 rounding apart); after the first
    /// <see cref="WholeRunRecorder.EarlySteps"/> steps, their mean loss and how far the weights moved (<paramref name="moved"/>,
    /// read with the clock stopped; a few rounding differences compounded over 20 steps: still close, however long the
    /// warm-up); at the end, the same over all the steps (training is chaotic enough that rounding differences grow over
    /// hundreds of steps, so these only catch a run that went wrong). The bytes allocated per timed step leave out what reading
    /// the weights for the checks allocates.
    /// </summary>
    public static Measured Training(int warmup, int steps, Func<int, (double Loss, int Samples)> step, Func<double> moved)
    {
        double firstLoss = 0, lossSum = 0, earlyLoss = 0, earlyMoved = 0;
        long samples = 0, allocatedAtStart = 0, checkBytes = 0;
        var clock = new System.Diagnostics.Stopwatch();
        for (int i = 0; i < warmup + steps; i++)
        {
            if (i == warmup)
            {
                allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
                clock.Start();
            }
            var (loss, batch) = step(i);
            if (i == 0) firstLoss = loss;
            lossSum += loss;
            if (i >= warmup) samples += batch;
            if (i != WholeRunRecorder.EarlySteps - 1) continue;
            earlyLoss = lossSum / WholeRunRecorder.EarlySteps;
            bool timing = clock.IsRunning;
            clock.Stop();
            long beforeCheck = GC.GetTotalAllocatedBytes(precise: true);
            earlyMoved = moved();
            if (timing) checkBytes = GC.GetTotalAllocatedBytes(precise: true) - beforeCheck;
            if (timing) clock.Start();
        }
        clock.Stop();
        double bytesPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart - checkBytes) / (double)steps;
        return new Measured(samples / clock.Elapsed.TotalSeconds, new Dictionary<string, double>
        {
            ["loss, step 1"] = firstLoss,
            [WholeRunRecorder.EarlyLoss] = earlyLoss,
            [WholeRunRecorder.EarlyMoved] = earlyMoved,
            ["mean loss, all steps"] = lossSum / (warmup + steps),
            ["moved, end"] = moved(),
        }, bytesPerStep);
    }

    /// <summary>Σ|w − w₀| over every parameter: how far training moved the weights from where both sides started.</summary>
    public static double Moved(Workload work, Func<string, float[]> finalValues) =>
        work.InitialWeights.Sum(w =>
        {
            var now = finalValues(w.Name);
            double sum = 0;
            for (int i = 0; i < now.Length; i++) sum += Math.Abs((double)now[i] - w.Values[i]);
            return sum;
        });
}

namespace Backprop.Optim;

/// <summary>
/// nanoGPT's learning-rate schedule (<c>get_lr</c> in its train.py), per iteration: call <see cref="LRScheduler.Step"/>
/// after each optimizer step. For iteration s (0 is the first) with r₀ the optimizer's initial rate: a linear warm-up
/// <c>learning_rate * (it + 1) / (warmup_iters + 1)</c> while s &lt; warmup; then cosine decay,
/// η_min + (r₀ − η_min)·(1 + cos(π·(s − warmup)/(decay − warmup)))/2, reaching η_min at s = decay; η_min after it.
/// </summary>
public sealed class WarmupCosineLR : LRScheduler
{
    /// <summary>Warms up over <paramref name="warmupSteps"/> iterations, then decays to <paramref name="minLearningRate"/> at iteration <paramref name="decaySteps"/>; sets the first iteration's rate.</summary>
    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int decaySteps, double minLearningRate = 0) : base(optimizer)
    {
        if (warmupSteps < 0) throw new ArgumentException($"warmupcosinelr: warm-up steps must be zero or more, got {warmupSteps}");
        if (decaySteps <= warmupSteps) throw new ArgumentException($"warmupcosinelr: decay steps must be more than the {warmupSteps} warm-up steps, got {decaySteps}");
        if (!(minLearningRate >= 0) || !double.IsFinite(minLearningRate)) throw new ArgumentException($"warmupcosinelr: minimum learning rate must be zero or positive, got {minLearningRate}");
        WarmupSteps = warmupSteps;
        DecaySteps = decaySteps;
        MinLearningRate = minLearningRate;
        // Unlike the epoch schedules, the first iteration's rate is not r₀ but the warm-up's first.
        optimizer.LearningRate = LearningRateAt(0);
    }

    /// <summary>Iterations of linear warm-up (nanoGPT's <c>warmup_iters</c>).</summary>
    public int WarmupSteps { get; }

    /// <summary>The iteration at which the cosine reaches the minimum (nanoGPT's <c>lr_decay_iters</c>).</summary>
    public int DecaySteps { get; }

    /// <summary>The rate at and after <see cref="DecaySteps"/> (nanoGPT's <c>min_lr</c>).</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch)
    {
        double lr = Optimizer.InitialLearningRate;
        if (epoch < WarmupSteps) return lr * (epoch + 1) / (WarmupSteps + 1);
        if (epoch > DecaySteps) return MinLearningRate;
        double ratio = (double)(epoch - WarmupSteps) / (DecaySteps - WarmupSteps);
        return MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (lr - MinLearningRate);
    }
}

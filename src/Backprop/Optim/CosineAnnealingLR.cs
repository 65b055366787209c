namespace Backprop.Optim;

/// <summary>
/// Cosine annealing from r₀ down to η_min over T_max epochs: η_min + (r₀ − η_min)·(1 + cos(π·epoch/T_max))/2, the closed form
/// of PyTorch's <c>CosineAnnealingLR</c>.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Anneals over <paramref name="tMax"/> epochs to <paramref name="etaMin"/>.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentException($"cosineannealinglr: T_max must be at least 1, got {tMax}");
        TMax = tMax;
        EtaMin = etaMin;
    }

    /// <summary>T_max, the half-period in epochs.</summary>
    public int TMax { get; }

    /// <summary>η_min, the lowest learning rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) =>
        EtaMin + (Optimizer.InitialLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}

namespace Backprop.Optim;

/// <summary>Multiplies the learning rate by γ every <c>stepSize</c> epochs: r₀·γ^⌊epoch/stepSize⌋, as <c>StepLR</c>.</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentException($"steplr: step size must be at least 1, got {stepSize}");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) => Optimizer.InitialLearningRate * Math.Pow(Gamma, epoch / StepSize);
}

namespace Backprop.Optim;

/// <summary>
/// RMSprop, PyTorch's <c>torch.optim.RMSprop</c>: v ← αv + (1 − α)g², then w ← w − r·g / (√v + ε). Centered, it divides
/// by √(v − ḡ²) + ε with ḡ the running mean of g; with momentum μ, b ← μb + g / (…) and w ← w − r·b.
/// </summary>
public sealed class RMSprop : Optimizer
{
    private readonly Tensor?[] squareAverages;
    private readonly Tensor?[] gradientAverages;
    private readonly Tensor?[] buffers;

    /// <summary>PyTorch's default learning rate for RMSprop.</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>Creates RMSprop with PyTorch's defaults (momentum 0).</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double learningRate = DefaultLearningRate, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate, weightDecay)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentException($"rmsprop: alpha must be in [0, 1], got {alpha}");
        if (!(momentum >= 0) || !double.IsFinite(momentum)) throw new ArgumentException($"rmsprop: momentum must be zero or positive, got {momentum}");
        Alpha = alpha;
        Eps = eps;
        Momentum = momentum;
        Centered = centered;
        squareAverages = PerParameterState("square_avg");
        gradientAverages = PerParameterState("grad_avg");
        buffers = PerParameterState("momentum_buffer");
    }

    /// <summary>α, the decay of the squared gradient's running mean.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>μ, the momentum factor (0 for none).</summary>
    public double Momentum { get; }

    /// <summary>Whether the squared average is centred by the gradient's running mean.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Defaults =>
        new Dictionary<string, object>(base.Defaults) { ["alpha"] = Alpha, ["eps"] = Eps, ["momentum"] = Momentum, ["centered"] = Centered };

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var g = WithWeightDecay(parameter, gradient);
        var squareAverage = squareAverages[index] ??= NewState(parameter);
        UpdateRunningMean(squareAverage, g * g);
        var variance = squareAverage;
        if (Centered)
        {
            var mean = gradientAverages[index] ??= NewState(parameter);
            UpdateRunningMean(mean, g);
            variance = squareAverage - mean * mean;
        }
        var step = g / (variance.Sqrt() + Eps);
        if (Momentum > 0)
        {
            var buffer = buffers[index] ??= NewState(parameter);
            buffer.MulInPlace(Momentum);
            buffer.AddInPlace(step);
            step = buffer;
        }
        parameter.AddInPlace(step, -LearningRate);
    }

    /// <summary>average ← α·average + (1 − α)·value, in place (the average starts at 0).</summary>
    private void UpdateRunningMean(Tensor average, Tensor value)
    {
        average.MulInPlace(Alpha);
        average.AddInPlace(value, 1 - Alpha);
    }
}

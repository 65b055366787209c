using Backprop.Kernels;

namespace Backprop.Optim;

/// <summary>
/// Adam, PyTorch's <c>torch.optim.Adam</c>: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², then
/// w ← w − r·m̂ / (√v̂ + ε) with the bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Weight decay adds λ·w to g.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor?[] firstMoments;
    private readonly Tensor?[] secondMoments;
    private readonly int[] steps;
    private readonly bool decoupledWeightDecay;

    /// <summary>PyTorch's default learning rate for Adam and AdamW.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>Creates Adam with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = DefaultLearningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: false)
    {
    }

    /// <summary>For AdamW: the same moments, with weight decay applied to the weights instead of the gradient.</summary>
    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps, double weightDecay, bool decoupledWeightDecay)
        : base(parameters, learningRate, weightDecay)
    {
        string name = GetType().Name.ToLowerInvariant();
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"{name}: betas must be in [0, 1), got {beta1} and {beta2}");
        if (!(eps >= 0)) throw new ArgumentException($"{name}: eps must be zero or positive, got {eps}");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        this.decoupledWeightDecay = decoupledWeightDecay;
        firstMoments = PerParameterState("exp_avg");
        secondMoments = PerParameterState("exp_avg_sq");
        steps = PerParameterCounter("step");
    }

    /// <summary>β₁, the decay of the gradient's running mean.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the squared gradient's running mean.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Defaults =>
        new Dictionary<string, object>(base.Defaults) { ["beta1"] = Beta1, ["beta2"] = Beta2, ["eps"] = Eps };

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        int t = ++steps[index];
        Tensor g = gradient;
        if (decoupledWeightDecay) parameter.AddInPlace(parameter, -LearningRate * WeightDecayOf(parameter)); // w ← w·(1 − r·λ)
        else g = WithWeightDecay(parameter, gradient);

        var m = firstMoments[index] ??= NewState(parameter);
        var v = secondMoments[index] ??= NewState(parameter);
        g = g.To(parameter.DType).BroadcastTo(parameter.Shape);
        double sqrtBiasCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, t));
        double stepSize = -LearningRate / (1 - Math.Pow(Beta1, t));
        // One pass over the values instead of a tensor op per term: the terms' temporaries were most of what a step allocated.
        if (parameter.DType == DType.Float32)
        {
            AdamKernel.Step(parameter.Span<float>(), g.Span<float>(), m.Span<float>(), v.Span<float>(),
                new AdamKernel.Coefficients<float>(Beta1, Beta2, sqrtBiasCorrection2, Eps, stepSize));
        }
        else
        {
            AdamKernel.Step(parameter.Span<double>(), g.Span<double>(), m.Span<double>(), v.Span<double>(),
                new AdamKernel.Coefficients<double>(Beta1, Beta2, sqrtBiasCorrection2, Eps, stepSize));
        }
    }
}

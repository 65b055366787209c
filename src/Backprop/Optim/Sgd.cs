namespace Backprop.Optim;

/// <summary>
/// Stochastic gradient descent, PyTorch's <c>torch.optim.SGD</c>. Without momentum it is the article's rule,
/// w₁ = w₀ − r·dC/dw. With momentum μ: b ← μ·b + (1 − dampening)·g (b = g at the first step), then w ← w − r·b,
/// or w ← w − r·(g + μ·b) with Nesterov. Weight decay adds λ·w to g first.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] buffers;

    /// <summary>Creates the optimizer; Nesterov needs momentum and no dampening, as in PyTorch.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate, weightDecay)
    {
        if (!(momentum >= 0) || !double.IsFinite(momentum)) throw new ArgumentException($"sgd: momentum must be zero or positive, got {momentum}");
        if (nesterov && (momentum == 0 || dampening != 0)) throw new ArgumentException("sgd: Nesterov momentum needs a momentum above 0 and zero dampening");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        buffers = PerParameterState("momentum_buffer");
    }

    /// <summary>μ, the momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>The dampening of new gradients in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>Whether the step looks ahead along the momentum (Nesterov).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object> Defaults =>
        new Dictionary<string, object>(base.Defaults) { ["momentum"] = Momentum, ["dampening"] = Dampening, ["nesterov"] = Nesterov };

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var g = WithWeightDecay(parameter, gradient);
        if (Momentum != 0)
        {
            var buffer = buffers[index];
            if (buffer is null)
            {
                buffers[index] = buffer = NewState(parameter);
                buffer.AddInPlace(g); // the first step's buffer is the gradient itself
            }
            else
            {
                buffer.MulInPlace(Momentum);
                buffer.AddInPlace(g, 1 - Dampening);
            }
            g = Nesterov ? g + buffer * Momentum : buffer;
        }
        parameter.AddInPlace(g, -LearningRate);
    }
}

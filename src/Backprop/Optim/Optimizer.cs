using Backprop.Autograd;

namespace Backprop.Optim;

/// <summary>
/// Updates parameters from their gradients, as PyTorch's optimizers: <see cref="ZeroGrad"/>, backward, <see cref="Step"/>.
/// Parameters without a gradient are skipped, and so is their state.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] parameters;

    /// <summary>Checks the learning rate and weight decay shared by every optimizer.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate, double weightDecay)
    {
        string name = GetType().Name.ToLowerInvariant();
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentException($"{name}: learning rate must be a positive number, got {learningRate}");
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentException($"{name}: weight decay must be zero or positive, got {weightDecay}");
        this.parameters = [.. parameters];
        LearningRate = InitialLearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The learning rate for the next step (a schedule may change it).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate the optimizer was created with; schedules scale from it.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The L2 penalty coefficient (decoupled from the gradient in AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = new NoGrad();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Grad is { } grad) Update(i, parameters[i], grad);
        }
    }

    /// <summary>
    /// Clears the parameters' gradients before the next backward pass (gradients accumulate otherwise): to null by default,
    /// as PyTorch; to zeros with <paramref name="setToNone"/> false, so backward reuses the buffers.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in parameters) p.ZeroGrad(setToNone);
    }

    /// <summary>Updates parameter number <paramref name="index"/> in place (grad mode is off).</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>
    /// Optimizer state shaped like <paramref name="parameter"/>, starting at zero, made outside any <see cref="TensorScope"/>
    /// because it lives as long as the optimizer; update it in place.
    /// </summary>
    protected static Tensor NewState(Tensor parameter)
    {
        using (TensorScope.Suspend()) return Tensor.Zeros(parameter.Shape, parameter.DType);
    }

    /// <summary>The gradient with the L2 penalty added: g + weight_decay·p (PyTorch's coupled weight decay).</summary>
    protected Tensor WithWeightDecay(Tensor parameter, Tensor gradient) =>
        WeightDecay == 0 ? gradient : gradient + parameter * WeightDecay;
}

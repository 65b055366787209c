using Backprop.Autograd;

namespace Backprop.Optim;

/// <summary>Plain gradient descent, the article's update rule: w₁ = w₀ − r·dC/dw for every parameter.</summary>
public sealed class Sgd
{
    private readonly Tensor[] parameters;

    /// <summary>Descends on <paramref name="parameters"/> with learning rate <paramref name="learningRate"/> (r).</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentException($"sgd: learning rate must be a positive number, got {learningRate}");
        }
        this.parameters = [.. parameters];
        LearningRate = learningRate;
    }

    /// <summary>The learning rate r.</summary>
    public double LearningRate { get; }

    /// <summary>Moves each parameter against its gradient; parameters without a gradient stay put.</summary>
    public void Step()
    {
        using var _ = new NoGrad();
        foreach (var p in parameters)
        {
            if (p.Grad is { } grad) p.AddInPlace(grad, -LearningRate);
        }
    }

    /// <summary>Clears the parameters' gradients before the next backward pass (gradients accumulate otherwise).</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }
}

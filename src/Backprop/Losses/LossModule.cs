namespace Backprop.Losses;

/// <summary>A cost function as an object, as PyTorch's loss modules: <c>loss.Forward(prediction, target)</c>, mean-reduced.</summary>
public abstract class LossModule
{
    /// <summary>The loss of <paramref name="prediction"/> against <paramref name="target"/>, a scalar.</summary>
    public abstract Tensor Forward(Tensor prediction, Tensor target);
}

namespace Backprop.Losses;

/// <summary>Mean squared error, as <c>nn.MSELoss</c>: prediction and target of one shape.</summary>
public sealed class MSELoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.Mse(prediction, target);
}

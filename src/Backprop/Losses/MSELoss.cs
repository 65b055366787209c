namespace Backprop.Losses;

/// <summary>
/// Mean squared error, as <c>nn.MSELoss</c>: prediction and target of one shape. One output is a value (regression);
/// several are read as one-hot class values, the largest winning.
/// </summary>
public sealed class MSELoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.Mse(prediction, target);

    /// <summary>mse.</summary>
    public override string Name => "mse";

    /// <inheritdoc/>
    public override ClassOutputs? ClassOutputs(int outputs) => outputs > 1 ? Losses.ClassOutputs.Values : null;
}

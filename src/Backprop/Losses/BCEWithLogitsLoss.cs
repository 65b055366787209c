namespace Backprop.Losses;

/// <summary>
/// Binary cross-entropy on logits, as <c>nn.BCEWithLogitsLoss</c>: targets in [0, 1], shaped as the logits. Its outputs are
/// classes read through a sigmoid.
/// </summary>
public sealed class BCEWithLogitsLoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.BinaryCrossEntropyWithLogits(prediction, target);

    /// <summary>bce.</summary>
    public override string Name => "bce";

    /// <inheritdoc/>
    public override ClassOutputs? ClassOutputs(int outputs) => Losses.ClassOutputs.SigmoidLogits;
}

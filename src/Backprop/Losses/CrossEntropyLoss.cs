namespace Backprop.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against class indices, as <c>nn.CrossEntropyLoss</c>. The target is a tensor [N] of
/// whole numbers (Backprop has no integer dtype; float32 holds class indices exactly).
/// </summary>
public sealed class CrossEntropyLoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.CrossEntropy(prediction, target);
}

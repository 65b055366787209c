namespace Backprop.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against class indices [N], as <c>nn.CrossEntropyLoss</c> (int64 indices, or whole
/// numbers in a float tensor). Its outputs are class logits: the largest wins, the softmax gives the probabilities.
/// </summary>
public sealed class CrossEntropyLoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.CrossEntropy(prediction, target);

    /// <summary>cross-entropy.</summary>
    public override string Name => "cross-entropy";

    /// <inheritdoc/>
    public override ClassOutputs? ClassOutputs(int outputs) => Losses.ClassOutputs.Logits;

    /// <inheritdoc/>
    public override bool TakesClassIndices => true;
}

namespace Backprop.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against class indices [N], or of [B, T, C] against [B, T] (classes on the last axis),
/// as <c>nn.CrossEntropyLoss(ignore_index=-100)</c>: int64 indices, or whole numbers in a float tensor; a target equal to
/// <see cref="IgnoreIndex"/> is left out of the mean (see <see cref="Loss.CrossEntropy(Tensor, Tensor, int)"/>). Its
/// outputs are class logits: the largest wins, the softmax gives the probabilities.
/// </summary>
public sealed class CrossEntropyLoss(int ignoreIndex = -100) : LossModule
{
    /// <summary>The target value that adds nothing to the loss (PyTorch's <c>ignore_index</c>, −100 by default).</summary>
    public int IgnoreIndex { get; } = ignoreIndex;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.CrossEntropy(prediction, target, IgnoreIndex);

    /// <summary>cross-entropy.</summary>
    public override string Name => "cross-entropy";

    /// <inheritdoc/>
    public override ClassOutputs? ClassOutputs(int outputs) => Losses.ClassOutputs.Logits;

    /// <inheritdoc/>
    public override bool TakesClassIndices => true;

    /// <summary>The same loss with the same <see cref="IgnoreIndex"/>.</summary>
    public override bool Equals(object? obj) => obj is CrossEntropyLoss other && other.IgnoreIndex == IgnoreIndex;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(GetType(), IgnoreIndex);
}

namespace Backprop.Training;

/// <summary>
/// Next-token prediction, a language model's task: the outputs [B, T, V] are logits over the vocabulary at each position
/// and the targets [B, T] the token each position should predict (the inputs shifted by one), as class indices that
/// cross-entropy reads as they are. A prediction is measured by its loss (bits per token), not counted right or wrong.
/// </summary>
public sealed class NextTokenTask : TrainingTask
{
    /// <inheritdoc/>
    public override Tensor EncodeTargets(Tensor targets, Tensor outputs) => targets;
}

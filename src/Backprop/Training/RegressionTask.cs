namespace Backprop.Training;

/// <summary>
/// Regression: the targets are the values the outputs should take, one per output. No example is "correct"; the
/// <see cref="Evaluator"/> reports the mean absolute error beside the loss.
/// </summary>
public sealed class RegressionTask : TrainingTask
{
    /// <summary>The targets in the outputs' shape: [B] becomes [B, 1] for one output per example.</summary>
    public override Tensor EncodeTargets(Tensor targets, Tensor outputs)
    {
        if (targets.Shape == outputs.Shape) return targets;
        if (targets.Count != outputs.Count) throw new ArgumentException($"regression: targets of shape {targets.Shape} for outputs of shape {outputs.Shape}");
        return targets.Reshape(outputs.Shape.ToArray());
    }
}

namespace Backprop.Losses;

/// <summary>
/// A weight penalty added to the cost, as TensorFlow Playground's regularisation: <see cref="PenaltyKind.L1"/> adds
/// λ·Σ|w|, <see cref="PenaltyKind.L2"/> adds λ·½·Σw² (whose derivative λ·w is PyTorch's <c>weight_decay</c>), with
/// λ = <see cref="Rate"/>. <see cref="Loss.WeightPenalty"/> computes the term.
/// </summary>
/// <param name="Kind">L1 or L2.</param>
/// <param name="Rate">λ, at least 0.</param>
public sealed record Penalty(PenaltyKind Kind, double Rate)
{
    /// <summary>λ, at least 0 and finite.</summary>
    public double Rate { get; } = Rate >= 0 && double.IsFinite(Rate) ? Rate : throw new ArgumentException($"penalty: the rate must be a finite number ≥ 0, got {Rate}");
}

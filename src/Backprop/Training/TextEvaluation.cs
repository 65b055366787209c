using Backprop.Data;

namespace Backprop.Training;

/// <summary>
/// How often a text run measures itself, as nanoGPT's <c>estimate_loss</c>: every <see cref="Interval"/> steps (and before the
/// first and after the last), the mean loss over <see cref="Iterations"/> batches drawn from each of <see cref="Train"/> and
/// <see cref="Validation"/>. The loaders are the evaluation's own (their own generators), so that measuring a run does not
/// change the batches it trains on.
/// </summary>
/// <param name="Train">Batches of the training split to estimate the training loss on.</param>
/// <param name="Validation">Batches of the validation split.</param>
/// <param name="Interval">Steps between evaluations, at least 1.</param>
/// <param name="Iterations">Batches per estimate, at least 1.</param>
public sealed record TextEvaluation(TextWindowLoader Train, TextWindowLoader Validation, int Interval, int Iterations)
{
    /// <summary>Steps between evaluations.</summary>
    public int Interval { get; } = Interval >= 1 ? Interval : throw new ArgumentException($"text evaluation: interval must be at least 1 step, got {Interval}");

    /// <summary>Batches per estimate.</summary>
    public int Iterations { get; } = Iterations >= 1 ? Iterations : throw new ArgumentException($"text evaluation: iterations must be at least 1, got {Iterations}");
}

namespace Backprop.Losses;

/// <summary>
/// A loss plus a weight penalty: <see cref="Loss"/>'s value plus <see cref="Losses.Loss.WeightPenalty"/> of <see cref="Weights"/>,
/// what a PyTorch training loop writes as <c>loss = criterion(out, y) + lam * sum(w.abs().sum() for w in weights)</c>. Given to
/// a <see cref="Training.Trainer"/>, it trains with the penalty (L1 too, which no optimizer's weight decay gives, and on the
/// chosen tensors only, typically the weights and not the biases); evaluate with the plain <see cref="Loss"/>.
/// </summary>
public sealed class PenalizedLoss : LossModule
{
    /// <summary>Adds <paramref name="penalty"/> of <paramref name="weights"/> (at least one tensor) to <paramref name="loss"/>.</summary>
    public PenalizedLoss(LossModule loss, IEnumerable<Tensor> weights, Penalty penalty)
    {
        Loss = loss;
        Weights = [.. weights];
        if (Weights.Count == 0) throw new ArgumentException("penalized loss: no weights to penalise");
        Penalty = penalty;
    }

    /// <summary>The loss without the penalty.</summary>
    public LossModule Loss { get; }

    /// <summary>The tensors whose size is penalised.</summary>
    public IReadOnlyList<Tensor> Weights { get; }

    /// <summary>The kind of penalty and its rate λ.</summary>
    public Penalty Penalty { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.Forward(prediction, target) + Losses.Loss.WeightPenalty(Weights, Penalty);

    /// <summary>The wrapped loss's name.</summary>
    public override string Name => Loss.Name;

    /// <summary>As the wrapped loss reads them: the penalty changes the cost, not what the outputs mean.</summary>
    public override ClassOutputs? ClassOutputs(int outputs) => Loss.ClassOutputs(outputs);

    /// <inheritdoc/>
    public override bool TakesClassIndices => Loss.TakesClassIndices;

    /// <summary>Equal when the wrapped losses are, on the same tensors, with the same penalty.</summary>
    public override bool Equals(object? obj) =>
        obj is PenalizedLoss other && other.Loss.Equals(Loss) && other.Penalty.Equals(Penalty) && other.Weights.SequenceEqual(Weights);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Loss, Penalty);
}

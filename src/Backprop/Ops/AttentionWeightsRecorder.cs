namespace Backprop;

/// <summary>
/// While open, keeps the attention weights P = softmax(q·kᵀ·scale + mask) that every
/// <see cref="Attention.ScaledDotProductAttention"/> on this thread computes, in call order: the op's own probabilities,
/// the very tensors its backward uses, so that what explain shows and plots is what the model computed, with no second
/// implementation of attention. Recorders nest; only the innermost one records.
/// </summary>
internal sealed class AttentionWeightsRecorder : IDisposable
{
    [ThreadStatic] private static AttentionWeightsRecorder? current;
    private readonly AttentionWeightsRecorder? outer;
    private readonly List<Tensor> weights = [];

    public AttentionWeightsRecorder()
    {
        outer = current;
        current = this;
    }

    /// <summary>The weights of each attention call so far, [..., L, S] as the op computed them.</summary>
    public IReadOnlyList<Tensor> Weights => weights;

    /// <summary>Called by the op with the weights it computed; does nothing when no recorder is open.</summary>
    internal static void Record(Tensor attentionWeights) => current?.weights.Add(attentionWeights);

    public void Dispose() => current = outer;
}

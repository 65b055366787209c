namespace Backprop.NN;

/// <summary>
/// The keys and values one <see cref="CausalSelfAttention"/> has computed for the positions it has read so far (PyTorch
/// code calls them <c>past_key_values</c>): with it, the next token's forward computes only the new position and attends to
/// the cached ones, so generating n tokens costs n one-position forwards instead of n full ones. <see cref="GPT.NewCache"/>
/// makes one per block. The cached positions are those of the tokens given since the last <see cref="Clear"/>.
/// </summary>
public sealed class KeyValueCache
{
    /// <summary>The cached keys [B, n_head, <see cref="Length"/>, head size], or null before the first forward.</summary>
    public Tensor? Keys { get; private set; }

    /// <summary>The cached values [B, n_head, <see cref="Length"/>, head size], or null before the first forward.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>How many positions are cached.</summary>
    public int Length => Keys?.Shape[2] ?? 0;

    /// <summary>Forgets every position, so the next forward starts at position 0.</summary>
    public void Clear() => (Keys, Values) = (null, null);

    /// <summary>Appends the new positions' <paramref name="keys"/> and <paramref name="values"/> [B, n_head, T, head size]; returns all the keys and values.</summary>
    internal (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        Keys = Keys is null ? keys : Shaping.Cat([Keys, keys], 2);
        Values = Values is null ? values : Shaping.Cat([Values, values], 2);
        return (Keys, Values);
    }
}

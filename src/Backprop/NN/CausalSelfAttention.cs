namespace Backprop.NN;

/// <summary>
/// nanoGPT's masked multi-head self-attention: <c>c_attn</c> projects [B, T, C] to q, k and v at once ([B, T, 3·C], split
/// in that order), each is split into <see cref="NumHeads"/> heads [B, nh, T, C/nh], every position attends to itself and
/// the positions before it, and <c>c_proj</c> mixes the heads back to [B, T, C]. Dropout (when training) acts on the
/// attention weights and on the output, as nanoGPT's <c>attn_dropout</c> and <c>resid_dropout</c>.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    private readonly Dropout attnDropout;
    private readonly Dropout residDropout;

    /// <summary>Attention over <paramref name="nEmbd"/> channels in <paramref name="nHead"/> heads; n_embd must be divisible by n_head.</summary>
    public CausalSelfAttention(int nEmbd, int nHead, double dropout = 0.0, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (nEmbd < 1 || nHead < 1) throw new ArgumentException($"CausalSelfAttention: n_embd and n_head must be at least 1, got n_embd {nEmbd} and n_head {nHead}");
        if (nEmbd % nHead != 0) throw new ArgumentException($"CausalSelfAttention: n_embd {nEmbd} must be divisible by n_head {nHead}");
        NumEmbd = nEmbd;
        NumHeads = nHead;
        CAttn = RegisterModule("c_attn", new Linear(nEmbd, 3 * nEmbd, bias, dtype, generator));
        CProj = RegisterModule("c_proj", new Linear(nEmbd, nEmbd, bias, dtype, generator));
        attnDropout = RegisterModule("attn_dropout", new Dropout(dropout, generator));
        residDropout = RegisterModule("resid_dropout", new Dropout(dropout, generator));
    }

    /// <summary>The embedding size n_embd (C).</summary>
    public int NumEmbd { get; }

    /// <summary>The number of heads n_head.</summary>
    public int NumHeads { get; }

    /// <summary>The joint q, k, v projection [3·C, C].</summary>
    public Linear CAttn { get; }

    /// <summary>The output projection [C, C].</summary>
    public Linear CProj { get; }

    /// <summary>[B, T, C] to [B, T, C]; the output at position t depends on positions 0..t only.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>
    /// As <see cref="Forward(Tensor)"/>, after the positions in <paramref name="cache"/> (none when it is null): the input's T
    /// positions follow the cached ones, attend to them and to themselves up to their own position, and their keys and values
    /// are appended to the cache. Without a cache this is the training forward.
    /// </summary>
    public Tensor Forward(Tensor input, KeyValueCache? cache)
    {
        if (input.Rank != 3 || input.Shape[-1] != NumEmbd)
        {
            throw new ArgumentException($"CausalSelfAttention: input of shape {input.Shape} is not [B, T, C] with C = n_embd {NumEmbd}");
        }
        int b = input.Shape[0], t = input.Shape[1], c = NumEmbd;
        var qkv = CAttn.Forward(input);
        var q = Heads(qkv.Slice(2, 0, c), b, t);
        var k = Heads(qkv.Slice(2, c, 2 * c), b, t);
        var v = Heads(qkv.Slice(2, 2 * c, 3 * c), b, t);
        int past = cache?.Length ?? 0;
        if (cache is not null) (k, v) = cache.Append(k, v);
        var y = IsTraining && attnDropout.P > 0 ? DroppedAttention(q, k, v, CausalMask(t, past, q.DType))
            : past == 0 ? Attention.ScaledDotProductAttention(q, k, v, isCausal: true)
            : Attention.ScaledDotProductAttention(q, k, v, mask: CausalMask(t, past, q.DType));
        return residDropout.Forward(CProj.Forward(y.Transpose(1, 2).Reshape(b, t, c)));
    }

    private Tensor Heads(Tensor x, int b, int t) => x.Reshape(b, t, NumHeads, NumEmbd / NumHeads).Transpose(1, 2);

    /// <summary>
    /// The additive mask [T, past + T] that keeps query i (position past + i) from every key after it: −∞ above the diagonal
    /// shifted right by the <paramref name="past"/> cached positions, 0 elsewhere.
    /// </summary>
    private static Tensor CausalMask(int t, int past, DType dtype)
    {
        int s = past + t;
        var mask = new double[t * s];
        for (int i = 0; i < t; i++)
        {
            for (int j = past + i + 1; j < s; j++) mask[i * s + j] = double.NegativeInfinity;
        }
        return Tensor.FromArray(mask, new Shape([t, s])).To(dtype);
    }

    /// <summary>
    /// nanoGPT's explicit attention, softmax(q·kᵀ/√hs + causal mask) with dropout on the weights, then ·v: the fused op
    /// has no dropout on its weights.
    /// </summary>
    private Tensor DroppedAttention(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        var scores = q.MatMul(k.Transpose(-2, -1)) * (1 / Math.Sqrt(q.Shape[-1])) + mask;
        return attnDropout.Forward(scores.Softmax(-1)).MatMul(v);
    }
}

namespace Backprop.NN;

/// <summary>
/// nanoGPT's pre-norm transformer <c>Block</c>: x + attn(ln_1(x)), then x + mlp(ln_2(x)); the LayerNorms have eps 1e-5
/// and a bias only when <c>bias</c> is true.
/// </summary>
public sealed class GPTBlock : Module
{
    /// <summary>A block of <paramref name="nEmbd"/> channels in <paramref name="nHead"/> attention heads.</summary>
    public GPTBlock(int nEmbd, int nHead, double dropout = 0.0, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        Ln1 = RegisterModule("ln_1", new LayerNorm([nEmbd], bias: bias, dtype: dtype));
        Attn = RegisterModule("attn", new CausalSelfAttention(nEmbd, nHead, dropout, bias, dtype, generator));
        Ln2 = RegisterModule("ln_2", new LayerNorm([nEmbd], bias: bias, dtype: dtype));
        Mlp = RegisterModule("mlp", new GPTMlp(nEmbd, dropout, bias, dtype, generator));
    }

    /// <summary>The LayerNorm before the attention.</summary>
    public LayerNorm Ln1 { get; }

    /// <summary>The causal self-attention.</summary>
    public CausalSelfAttention Attn { get; }

    /// <summary>The LayerNorm before the MLP.</summary>
    public LayerNorm Ln2 { get; }

    /// <summary>The MLP.</summary>
    public GPTMlp Mlp { get; }

    /// <summary>[B, T, C] to [B, T, C].</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>As <see cref="Forward(Tensor)"/>, the attention reading and extending <paramref name="cache"/> (see <see cref="CausalSelfAttention.Forward(Tensor, KeyValueCache?)"/>).</summary>
    public Tensor Forward(Tensor input, KeyValueCache? cache)
    {
        var x = input + Attn.Forward(Ln1.Forward(input), cache);
        return x + Mlp.Forward(Ln2.Forward(x));
    }
}

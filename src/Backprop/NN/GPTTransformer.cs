namespace Backprop.NN;

/// <summary>
/// The body of <see cref="GPT"/>, nanoGPT's <c>transformer</c> dictionary: token embedding <c>wte</c>, position embedding
/// <c>wpe</c>, dropout <c>drop</c>, the blocks <c>h.0</c>, <c>h.1</c>, … and the final LayerNorm <c>ln_f</c>. It maps
/// token indices [B, T] to the hidden states [B, T, n_embd] that the head reads.
/// </summary>
public sealed class GPTTransformer : Module
{
    private readonly Dropout drop;

    /// <summary>
    /// The body over the token embedding <paramref name="wte"/> (the head's weight when they are tied) and
    /// <paramref name="blockSize"/> positions.
    /// </summary>
    public GPTTransformer(Embedding wte, int blockSize, int nLayer, int nHead, double dropout = 0.0, bool bias = true, Generator? generator = null)
    {
        if (blockSize < 1 || nLayer < 1) throw new ArgumentException($"GPT: block_size and n_layer must be at least 1, got block_size {blockSize} and n_layer {nLayer}");
        int nEmbd = wte.EmbeddingDim;
        var dtype = wte.Weight.DType;
        Wte = RegisterModule("wte", wte);
        Wpe = RegisterModule("wpe", new Embedding(blockSize, nEmbd, dtype: dtype, generator: generator));
        drop = RegisterModule("drop", new Dropout(dropout, generator));
        H = RegisterModule("h", new Sequential([.. Enumerable.Range(0, nLayer).Select(_ => new GPTBlock(nEmbd, nHead, dropout, bias, dtype, generator))]));
        LnF = RegisterModule("ln_f", new LayerNorm([nEmbd], bias: bias, dtype: dtype));
    }

    /// <summary>The token embedding [vocab_size, n_embd].</summary>
    public Embedding Wte { get; }

    /// <summary>The position embedding [block_size, n_embd].</summary>
    public Embedding Wpe { get; }

    /// <summary>The blocks, in order.</summary>
    public Sequential H { get; }

    /// <summary>The final LayerNorm.</summary>
    public LayerNorm LnF { get; }

    /// <summary>The longest sequence the position embedding covers.</summary>
    public int BlockSize => Wpe.NumEmbeddings;

    /// <summary>int64 token indices [B, T] with T ≤ block_size to hidden states [B, T, n_embd].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.DType != DType.Int64)
        {
            throw new ArgumentException($"GPT: input must be int64 token indices [B, T], got {input.DType} of shape {input.Shape}");
        }
        int t = input.Shape[1];
        if (t > BlockSize) throw new ArgumentException($"GPT: cannot forward a sequence of length {t}, block_size is only {BlockSize}");
        var positions = Wpe.Forward(Tensor.Arange(0, t, dtype: DType.Int64)); // [T, C], broadcast over the batch
        return LnF.Forward(H.Forward(drop.Forward(Wte.Forward(input) + positions)));
    }
}

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
    public override Tensor Forward(Tensor input) => LnF.Forward(H.Forward(Embed(input, 0)));

    /// <summary>
    /// As <see cref="Forward(Tensor)"/>, for tokens that follow the positions in <paramref name="cache"/> (one
    /// <see cref="KeyValueCache"/> per block, all holding the same positions): the T tokens take positions past … past + T − 1,
    /// which must stay below block_size, and each block's cache grows by T.
    /// </summary>
    public Tensor Forward(Tensor input, IReadOnlyList<KeyValueCache> cache)
    {
        if (cache.Count != H.Layers.Count) throw new ArgumentException($"GPT: the cache has {cache.Count} layers, the model {H.Layers.Count} blocks");
        var x = Embed(input, cache[0].Length);
        for (int i = 0; i < cache.Count; i++) x = ((GPTBlock)H.Layers[i]).Forward(x, cache[i]);
        return LnF.Forward(x);
    }

    /// <summary>The token embeddings of <paramref name="input"/> [B, T] plus the embeddings of positions <paramref name="past"/> onwards, after dropout.</summary>
    private Tensor Embed(Tensor input, int past)
    {
        if (input.Rank != 2 || input.DType != DType.Int64)
        {
            throw new ArgumentException($"GPT: input must be int64 token indices [B, T], got {input.DType} of shape {input.Shape}");
        }
        int t = input.Shape[1];
        if (past + t > BlockSize)
        {
            throw new ArgumentException(past == 0
                ? $"GPT: cannot forward a sequence of length {t}, block_size is only {BlockSize}"
                : $"GPT: cannot forward {t} more positions after {past} cached ones, block_size is only {BlockSize}");
        }
        var positions = Wpe.Forward(Tensor.Arange(past, past + t, dtype: DType.Int64)); // [T, C], broadcast over the batch
        return drop.Forward(Wte.Forward(input) + positions);
    }
}

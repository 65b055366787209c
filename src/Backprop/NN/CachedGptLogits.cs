namespace Backprop.NN;

/// <summary>
/// A GPT with a key/value cache: the prompt's forward fills each block's cache, and every next token is one position's
/// forward over it. When the context would pass the block size, the cache is dropped and the cropped window (the last
/// block-size tokens, as nanoGPT crops <c>idx</c>) is recomputed into a fresh one: the positions' embeddings are absolute,
/// so cached keys cannot slide. From then on each token costs a full forward of the window, as without a cache, and the
/// logits are nanoGPT's at every step.
/// </summary>
internal sealed class CachedGptLogits : NextTokenLogits
{
    private readonly GPT gpt;
    private readonly int blockSize;
    private readonly KeyValueCache[] cache;
    private readonly List<int> context = []; // the last blockSize tokens read

    public CachedGptLogits(GPT gpt, int blockSize) : base(gpt)
    {
        this.gpt = gpt;
        this.blockSize = blockSize;
        cache = gpt.NewCache();
    }

    public override double[] Start(IReadOnlyList<int> prompt)
    {
        context.Clear();
        Append(context, prompt, blockSize);
        return Window();
    }

    public override double[] Next(int token)
    {
        Append(context, [token], blockSize);
        return cache[0].Length < blockSize ? Logits(Row([token])) : Window();
    }

    /// <summary>The whole context recomputed into an empty cache.</summary>
    private double[] Window()
    {
        foreach (var layer in cache) layer.Clear();
        return Logits(Row(context));
    }

    /// <summary>The logits after <paramref name="tokens"/> [1, T], which follow the cached positions; only the last position goes through the head.</summary>
    private double[] Logits(Tensor tokens) => Infer(() =>
    {
        var hidden = gpt.Transformer.Forward(tokens, cache);
        int t = hidden.Shape[1];
        return gpt.LmHead.Forward(hidden.Slice(1, t - 1, t));
    });
}

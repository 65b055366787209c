namespace Backprop.NN;

/// <summary>
/// nanoGPT's <c>GPT</c> language model: <see cref="Transformer"/> (token and position embeddings, n_layer pre-norm
/// blocks, a final LayerNorm) and <c>lm_head</c>, a Linear without bias whose weight is the token embedding's (tied:
/// one parameter, listed once by <see cref="Module.Parameters"/>, stepped once with the sum of both uses' gradients,
/// and written under both <c>transformer.wte.weight</c> and <c>lm_head.weight</c> in the state dict, as torch.save does).
/// Initialisation is nanoGPT's: every Linear and Embedding weight N(0, 0.02), every bias 0, LayerNorm weights 1, and
/// every <c>c_proj.weight</c> N(0, 0.02/√(2·n_layer)) to keep the residual stream's variance from growing with depth.
/// </summary>
public class GPT : Module
{
    /// <summary>A model over <paramref name="vocabSize"/> tokens and at most <paramref name="blockSize"/> positions.</summary>
    public GPT(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout = 0.0, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (vocabSize < 1 || nEmbd < 1 || nHead < 1) throw new ArgumentException($"GPT: vocab_size, n_embd and n_head must be at least 1, got vocab_size {vocabSize}, n_embd {nEmbd} and n_head {nHead}");
        if (nEmbd % nHead != 0) throw new ArgumentException($"GPT: n_embd {nEmbd} must be divisible by n_head {nHead}");
        var head = new Linear(nEmbd, vocabSize, bias: false, dtype, generator);
        Transformer = RegisterModule("transformer", new GPTTransformer(Embedding.FromPretrained(head.Weight, freeze: false), blockSize, nLayer, nHead, dropout, bias, generator));
        LmHead = RegisterModule("lm_head", head);
        VocabSize = vocabSize;
        NumLayers = nLayer;
        Initialise(generator);
    }

    /// <summary>The number of tokens.</summary>
    public int VocabSize { get; }

    /// <summary>The number of blocks.</summary>
    public int NumLayers { get; }

    /// <summary>The longest sequence the model reads.</summary>
    public int BlockSize => Transformer.BlockSize;

    /// <summary>The body: embeddings, blocks and the final LayerNorm.</summary>
    public GPTTransformer Transformer { get; }

    /// <summary>The output head [vocab_size, n_embd], its weight the token embedding's.</summary>
    public Linear LmHead { get; }

    /// <summary>int64 token indices [B, T] with T ≤ block_size to next-token logits [B, T, vocab_size].</summary>
    public override Tensor Forward(Tensor input) => LmHead.Forward(Transformer.Forward(input));

    /// <summary>
    /// The logits [B, T, vocab_size] of tokens [B, T] that follow the positions in <paramref name="cache"/> (from
    /// <see cref="NewCache"/>), whose keys and values the attention reuses instead of recomputing them; the new positions'
    /// keys and values are appended to it. Cached positions plus T must stay within block_size.
    /// </summary>
    public Tensor Forward(Tensor input, IReadOnlyList<KeyValueCache> cache) => LmHead.Forward(Transformer.Forward(input, cache));

    /// <summary>An empty key/value cache for <see cref="Forward(Tensor, IReadOnlyList{KeyValueCache})"/>: one per block.</summary>
    public KeyValueCache[] NewCache() => [.. Enumerable.Range(0, NumLayers).Select(_ => new KeyValueCache())];

    /// <summary>nanoGPT's <c>_init_weights</c> and its scaled <c>c_proj</c> pass, over each parameter once.</summary>
    private void Initialise(Generator? generator)
    {
        double projStd = 0.02 / Math.Sqrt(2.0 * NumLayers);
        foreach (var (name, p) in NamedParameters())
        {
            if (name.EndsWith("c_proj.weight", StringComparison.Ordinal)) Init.Normal(p, 0, projStd, generator);
            else if (p.Rank == 2) Init.Normal(p, 0, 0.02, generator);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) Init.Zeros(p);
        }
    }
}

namespace Backprop.NN;

/// <summary>
/// Multi-head attention, as PyTorch's <c>nn.MultiheadAttention</c> with its parameter names: query, key and value are
/// projected by the rows [0, E), [E, 2E) and [2E, 3E) of <see cref="InProjWeight"/> [3E, E] (and of
/// <see cref="InProjBias"/> [3E]), split into <see cref="NumHeads"/> heads of E / num_heads features each, attended with
/// <see cref="Attention.ScaledDotProductAttention"/> per head, joined again and mapped by <see cref="OutProj"/>.
/// Initialised as PyTorch's <c>_reset_parameters</c>: in_proj_weight Xavier-uniform, in_proj_bias and out_proj.bias zeros,
/// out_proj.weight as any Linear's. In a sequential network it is self-attention: query = key = value = its input, and
/// <see cref="Forward(Tensor)"/> gives the attention output alone (PyTorch's first return value).
/// </summary>
public sealed class MultiheadAttention : Module
{
    /// <summary>
    /// A layer over <paramref name="embedDim"/> features split into <paramref name="numHeads"/> heads; with biases unless
    /// told otherwise; sequences [L, N, E] unless <paramref name="batchFirst"/>, which makes them [N, L, E].
    /// </summary>
    public MultiheadAttention(int embedDim, int numHeads, bool bias = true, bool batchFirst = false, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (embedDim < 1 || numHeads < 1) throw new ArgumentException($"MultiheadAttention: embed_dim and num_heads must be at least 1, got {embedDim} and {numHeads}");
        if (embedDim % numHeads != 0) throw new ArgumentException($"MultiheadAttention: embed_dim {embedDim} must be divisible by num_heads {numHeads}");
        if (dtype == DType.Int64) throw new ArgumentException($"MultiheadAttention: attends over floating-point values; {dtype} is not a floating-point dtype");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        BatchFirst = batchFirst;
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Zeros([3 * embedDim, embedDim], dtype));
        InProjBias = bias ? RegisterParameter("in_proj_bias", Tensor.Zeros([3 * embedDim], dtype)) : null;
        // PyTorch builds out_proj before _reset_parameters draws in_proj_weight; the same order draws the same sequence.
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias, dtype, generator));
        Init.XavierUniform(InProjWeight, generator: generator);
        if (OutProj.Bias is { } outBias)
        {
            using var _ = new Autograd.NoGrad();
            outBias.CopyInPlace(Tensor.Zeros(outBias.Shape, dtype));
        }
    }

    /// <summary>The model's features E, in and out.</summary>
    public int EmbedDim { get; }

    /// <summary>How many heads E is split into, each of E / num_heads features.</summary>
    public int NumHeads { get; }

    /// <summary>Whether sequences come as [N, L, E] (true) or [L, N, E] (false, PyTorch's default).</summary>
    public bool BatchFirst { get; }

    /// <summary>The query, key and value projections stacked, [3E, E].</summary>
    public Tensor InProjWeight { get; }

    /// <summary>Their biases stacked, [3E], or null without bias.</summary>
    public Tensor? InProjBias { get; }

    /// <summary>The output projection, E to E.</summary>
    public Linear OutProj { get; }

    /// <summary>Self-attention: the attention output of the input attending over itself, of the input's shape.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input);

    /// <summary>
    /// The attention output of <paramref name="query"/> [L, N, E] over <paramref name="key"/> and <paramref name="value"/>
    /// [S, N, E] ([N, L, E] and [N, S, E] with batch_first; [L, E] and [S, E] for one unbatched sequence), of the query's
    /// shape. <paramref name="attnMask"/> is an additive [L, S] mask (−∞ keeps a query from a key); <paramref name="isCausal"/>
    /// keeps query i from keys after i (unlike PyTorch's, where it is only a hint that attn_mask is causal, it needs no mask).
    /// </summary>
    public Tensor Forward(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, bool isCausal = false)
    {
        bool batched = CheckInput("query", query) == 3;
        int batchAxis = BatchFirst ? 0 : 1;
        if (CheckInput("key", key) != query.Rank || CheckInput("value", value) != query.Rank || key.Shape != value.Shape
            || (batched && key.Shape[batchAxis] != query.Shape[batchAxis]))
        {
            throw new ArgumentException($"MultiheadAttention: key and value must have one shape, and the query's rank and batch size, got query {query.Shape}, key {key.Shape} and value {value.Shape}");
        }
        int e = EmbedDim;
        var heads = Attention.ScaledDotProductAttention(
            Heads(query, InProjWeight.Slice(0, 0, e), InProjBias?.Slice(0, 0, e)),
            Heads(key, InProjWeight.Slice(0, e, 2 * e), InProjBias?.Slice(0, e, 2 * e)),
            Heads(value, InProjWeight.Slice(0, 2 * e, 3 * e), InProjBias?.Slice(0, 2 * e, 3 * e)),
            attnMask, isCausal);
        // [N, H, L, D] back to [N, L, E], then to the input's layout.
        int n = heads.Shape[0], length = heads.Shape[2];
        var output = OutProj.Forward(heads.Transpose(1, 2).Reshape(n, length, e));
        if (!batched) return output.Squeeze(0);
        return BatchFirst ? output : output.Transpose(0, 1);
    }

    /// <summary>A sequence projected by one third of the input projection and split into heads: [N, H, L, D].</summary>
    private Tensor Heads(Tensor x, Tensor weight, Tensor? bias)
    {
        var batchFirst = x.Rank == 2 ? x.Unsqueeze(0) : BatchFirst ? x : x.Transpose(0, 1);
        int n = batchFirst.Shape[0], length = batchFirst.Shape[1];
        return batchFirst.Linear(weight, bias).Reshape(n, length, NumHeads, EmbedDim / NumHeads).Transpose(1, 2);
    }

    private int CheckInput(string name, Tensor x)
    {
        if ((x.Rank != 2 && x.Rank != 3) || x.Shape[-1] != EmbedDim)
        {
            string layout = BatchFirst ? "[N, L, E]" : "[L, N, E]";
            throw new ArgumentException($"MultiheadAttention: {name} of shape {x.Shape} is not {layout} or [L, E] with E = embed_dim {EmbedDim}");
        }
        return x.Rank;
    }
}

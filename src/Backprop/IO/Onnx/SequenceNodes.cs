using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// The token-sequence layers as ONNX nodes for inference: Embedding (Gather), LayerNorm (LayerNormalization), self-attention
/// (one projection to q, k and v, Split, per-head Reshape and Transpose, MatMul, Softmax, an optional causal mask) shared
/// by <see cref="NN.MultiheadAttention"/> and the GPT's <see cref="CausalSelfAttention"/>, and the whole <see cref="GPT"/>.
/// Every axis but the features stays symbolic, so one model takes any batch and any sequence length.
/// </summary>
internal static class SequenceNodes
{
    /// <summary>A parameter's or child's state-dict key under <paramref name="path"/> ("" for the exported model itself).</summary>
    public static string Key(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The table's rows for int64 indices of any shape: [..., embedding_dim].</summary>
    public static string Embedding(GraphBuilder graph, string tokens, string path, string name, Embedding embedding) =>
        graph.Node("Gather", [graph.Initializer(Key(path, "weight"), embedding.Weight), tokens], name, NodeAttribute.Int("axis", 0));

    /// <summary>LayerNormalization over the last axes; γ of ones without elementwise affine, no β without a bias.</summary>
    public static string LayerNorm(GraphBuilder graph, string x, string path, string name, LayerNorm norm)
    {
        var inputs = new List<string>
        {
            x,
            norm.Weight is { } weight ? graph.Initializer(Key(path, "weight"), weight) : graph.Initializer($"{name}_ones", Tensor.Ones(new Shape([.. norm.NormalizedShape]))),
        };
        if (norm.Bias is { } bias) inputs.Add(graph.Initializer(Key(path, "bias"), bias));
        return graph.Node("LayerNormalization", inputs, name, NodeAttribute.Int("axis", -norm.NormalizedShape.Count), NodeAttribute.Float("epsilon", (float)norm.Eps));
    }

    /// <summary>
    /// Self-attention over [N, L, E] ([L, N, E] without batch_first, turned batch-first around the attention), no mask: the
    /// query, key and value projections are the rows of in_proj_weight, one product then split.
    /// </summary>
    public static string MultiheadAttention(GraphBuilder graph, string x, string path, string name, MultiheadAttention attention)
    {
        string sequences = attention.BatchFirst ? x : graph.Node("Transpose", [x], $"{name}_batch_first", NodeAttribute.Ints("perm", 1, 0, 2));
        string weight = graph.Initializer(Key(path, "in_proj_weight"), attention.InProjWeight);
        string? bias = attention.InProjBias is { } b ? graph.Initializer(Key(path, "in_proj_bias"), b) : null;
        string output = SelfAttention(graph, sequences, name, weight, bias, attention.EmbedDim, attention.NumHeads, mask: null, Key(path, "out_proj"), attention.OutProj);
        return attention.BatchFirst ? output : graph.Node("Transpose", [output], name, NodeAttribute.Ints("perm", 1, 0, 2));
    }

    /// <summary>
    /// nanoGPT's forward: token rows (Gather) plus the first T position rows (Slice), the blocks, ln_f, and the head, whose
    /// weight is the token table's initializer itself (tied, written once): int64 [B, T] to logits [B, T, vocab_size].
    /// </summary>
    public static string Gpt(GraphBuilder graph, string tokens, string path, GPT gpt)
    {
        var body = gpt.Transformer;
        string t = Key(path, "transformer");
        string length = graph.Node("Shape", [tokens], $"{t}.length", NodeAttribute.Int("start", 1), NodeAttribute.Int("end", 2)); // [T]
        string zero = graph.Int64Initializer($"{t}.zero", [0]);
        string positions = graph.Node("Slice", [graph.Initializer(Key(t, "wpe.weight"), body.Wpe.Weight), zero, length, zero], Key(t, "wpe"));
        string x = graph.Node("Add", [Embedding(graph, tokens, Key(t, "wte"), Key(t, "wte"), body.Wte), positions], $"{t}.embeddings");
        string mask = CausalMask(graph, length, $"{t}.causal_mask");
        for (int i = 0; i < body.H.Layers.Count; i++) x = Block(graph, x, Key(t, $"h.{i}"), (GPTBlock)body.H.Layers[i], mask);
        x = LayerNorm(graph, x, Key(t, "ln_f"), Key(t, "ln_f"), body.LnF);
        return LayerNodes.Linear(graph, x, Key(path, "lm_head"), Key(path, "lm_head"), gpt.LmHead, rank: 3);
    }

    /// <summary>x + attn(ln_1(x)), then x + mlp(ln_2(x)), the MLP's GELU from the activation catalog (Erf for the exact form).</summary>
    private static string Block(GraphBuilder graph, string x, string path, GPTBlock block, string mask)
    {
        string attn = Key(path, "attn");
        string attended = SelfAttention(graph, LayerNorm(graph, x, Key(path, "ln_1"), Key(path, "ln_1"), block.Ln1), attn,
            graph.Initializer(Key(attn, "c_attn.weight"), block.Attn.CAttn.Weight),
            block.Attn.CAttn.Bias is { } bias ? graph.Initializer(Key(attn, "c_attn.bias"), bias) : null,
            block.Attn.NumEmbd, block.Attn.NumHeads, mask, Key(attn, "c_proj"), block.Attn.CProj);
        x = graph.Node("Add", [x, attended], $"{path}.attn_residual");
        string mlp = Key(path, "mlp");
        string widened = LayerNodes.Linear(graph, LayerNorm(graph, x, Key(path, "ln_2"), Key(path, "ln_2"), block.Ln2), Key(mlp, "c_fc"), Key(mlp, "c_fc"), block.Mlp.CFc, rank: 3);
        string activated = block.Mlp.Gelu.Activation.ExportOnnx(graph, widened, Key(mlp, "gelu"), block.Mlp.Gelu);
        return graph.Node("Add", [x, LayerNodes.Linear(graph, activated, Key(mlp, "c_proj"), Key(mlp, "c_proj"), block.Mlp.CProj, rank: 3)], path);
    }

    /// <summary>
    /// softmax(q·kᵀ/√d (+ mask))·v per head over [N, L, E]: one product by the [3E, E] projection <paramref name="weight"/>
    /// split into q, k and v (in that order), each reshaped to [N, L, heads, d] and transposed to [N, heads, L, d] (k to
    /// [N, heads, d, L]); the heads joined back to [N, L, E] and projected by <paramref name="output"/>.
    /// </summary>
    private static string SelfAttention(GraphBuilder graph, string x, string name, string weight, string? bias, int embed, int heads, string? mask,
        string outputPath, Linear output)
    {
        int d = embed / heads;
        string qkv = LayerNodes.Affine(graph, x, weight, bias, $"{name}.qkv", rank: 3);
        string[] parts = graph.Node("Split", [qkv, graph.Int64Initializer($"{name}.split", [embed, embed, embed])], [$"{name}.q", $"{name}.k", $"{name}.v"], NodeAttribute.Int("axis", -1));
        string headShape = graph.Int64Initializer($"{name}.head_shape", [0, 0, heads, d]); // 0 keeps N and L as they come
        string Heads(string part, params long[] perm) =>
            graph.Node("Transpose", [graph.Node("Reshape", [part, headShape], $"{part}_split")], $"{part}_heads", NodeAttribute.Ints("perm", perm));
        string q = Heads(parts[0], 0, 2, 1, 3), keys = Heads(parts[1], 0, 2, 3, 1), v = Heads(parts[2], 0, 2, 1, 3);
        string scores = graph.Node("Mul", [graph.Node("MatMul", [q, keys], $"{name}.qk"), graph.Constant($"{name}.scale", (float)(1 / Math.Sqrt(d)))], $"{name}.scores");
        if (mask is not null) scores = graph.Node("Add", [scores, mask], $"{name}.masked_scores");
        string weights = graph.Node("Softmax", [scores], $"{name}.weights", NodeAttribute.Int("axis", -1));
        string joined = graph.Node("Transpose", [graph.Node("MatMul", [weights, v], $"{name}.heads")], $"{name}.heads_t", NodeAttribute.Ints("perm", 0, 2, 1, 3));
        string merged = graph.Node("Reshape", [joined, graph.Int64Initializer($"{name}.merged_shape", [0, 0, embed])], $"{name}.merged");
        return LayerNodes.Linear(graph, merged, outputPath, outputPath, output, rank: 3);
    }

    /// <summary>
    /// The additive causal mask [T, T] for the sequence length <paramref name="length"/> ([T]): −∞ above the diagonal (a
    /// key after its query), 0 elsewhere, built as −∞ everywhere (Expand) with Trilu keeping only the strict upper triangle.
    /// </summary>
    private static string CausalMask(GraphBuilder graph, string length, string name)
    {
        string square = graph.Node("Concat", [length, length], $"{name}_shape", NodeAttribute.Int("axis", 0));
        string everywhere = graph.Node("Expand", [graph.Constant($"{name}_minus_infinity", float.NegativeInfinity), square], $"{name}_full");
        return graph.Node("Trilu", [everywhere, graph.Int64Initializer($"{name}_diagonal", [1], scalar: true)], name, NodeAttribute.Int("upper", 1));
    }
}

namespace Backprop.NN;

/// <summary>
/// The architecture text's layers for token sequences under <c>torch.nn</c>'s names and signatures: Embedding,
/// LayerNorm and MultiheadAttention (self-attention over each example's [L, E] sequence). Arguments PyTorch has but Backprop does not implement (<c>max_norm</c>, <c>sparse=True</c>, …) are refused
/// by name rather than ignored. An Embedding takes int64 indices; the shape rules treat them as any other input.
/// </summary>
internal static class SequenceLayers
{
    private static readonly ArgumentValue True = ArgumentValue.Bool(true);
    private static readonly ArgumentValue False = ArgumentValue.Bool(false);

    public static IEnumerable<LayerDefinition> Definitions =>
    [
        new("Embedding",
            [new("num_embeddings"), new("embedding_dim"), new("padding_idx", ArgumentValue.None), new("max_norm", ArgumentValue.None),
             new("norm_type", ArgumentValue.Float(2)), new("scale_grad_by_freq", False), new("sparse", False)],
            (a, g) =>
            {
                foreach (var (name, supported) in new[] { ("max_norm", ArgumentValue.None), ("scale_grad_by_freq", False), ("sparse", False) }) a.RequireSupported(name, supported);
                return new Embedding(a.Int("num_embeddings", 1), a.Int("embedding_dim", 1), PaddingIdx(a), generator: g);
            },
            (a, input) => [.. input, a.Int("embedding_dim", 1)],
            a =>
            {
                PaddingIdx(a);
                return [("weight", [a.Int("num_embeddings", 1), a.Int("embedding_dim", 1)])];
            }),
        new("LayerNorm",
            [new("normalized_shape"), new("eps", ArgumentValue.Float(1e-5)), new("elementwise_affine", True), new("bias", True)],
            (a, _) => new LayerNorm(NormalizedShape(a), a.Float("eps"), a.Bool("elementwise_affine"), a.Bool("bias")),
            (a, input) =>
            {
                var normalized = NormalizedShape(a);
                if (normalized.Length > input.Length || !input[^normalized.Length..].SequenceEqual(normalized))
                {
                    throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", $"it normalises last axes of shape {LayerCatalog.Format(normalized)}");
                }
                return input;
            },
            a =>
            {
                var normalized = NormalizedShape(a);
                if (!a.Bool("elementwise_affine")) return [];
                return a.Bool("bias") ? [("weight", normalized), ("bias", normalized)] : [("weight", normalized)];
            }),
        new("MultiheadAttention",
            [new("embed_dim"), new("num_heads"), new("dropout", ArgumentValue.Float(0)), new("bias", True), new("add_bias_kv", False),
             new("add_zero_attn", False), new("kdim", ArgumentValue.None), new("vdim", ArgumentValue.None), new("batch_first", False)],
            (a, g) => new MultiheadAttention(EmbedDim(a), a.Int("num_heads", 1), a.Bool("bias"), a.Bool("batch_first"), generator: g),
            (a, input) =>
            {
                int e = EmbedDim(a);
                // Each example is one sequence [L, E]; batched, that is [N, L, E], which batch_first=False reads as [L, N, E], as PyTorch would.
                if (input.Length != 2 || input[1] != e) throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", $"it attends over sequences [L, {e}]");
                return input;
            },
            a =>
            {
                int e = EmbedDim(a);
                return a.Bool("bias")
                    ? [("in_proj_weight", [3 * e, e]), ("in_proj_bias", [3 * e]), ("out_proj.weight", [e, e]), ("out_proj.bias", [e])]
                    : [("in_proj_weight", [3 * e, e]), ("out_proj.weight", [e, e])];
            }),
    ];

    /// <summary>embed_dim, checked (with the arguments PyTorch has and Backprop does not implement) before any layer is built.</summary>
    private static int EmbedDim(LayerArguments a)
    {
        foreach (var (name, supported) in new[] { ("dropout", ArgumentValue.Float(0)), ("add_bias_kv", False), ("add_zero_attn", False), ("kdim", ArgumentValue.None), ("vdim", ArgumentValue.None) })
        {
            a.RequireSupported(name, supported);
        }
        int e = a.Int("embed_dim", 1), heads = a.Int("num_heads", 1);
        return e % heads == 0 ? e : throw a.Problem("num_heads", $"must divide embed_dim {e}, got {heads}");
    }

    /// <summary>padding_idx: None, or a row in [−num_embeddings, num_embeddings) as PyTorch allows.</summary>
    private static int? PaddingIdx(LayerArguments a)
    {
        if (a["padding_idx"].Kind == ArgumentKind.None) return null;
        int count = a.Int("num_embeddings", 1), index = a.Int("padding_idx");
        return index >= -count && index < count ? index : throw a.Problem("padding_idx", $"must be within num_embeddings ({count}), got {index}");
    }

    /// <summary>normalized_shape: an integer, or a tuple of integers, each at least 1.</summary>
    private static int[] NormalizedShape(LayerArguments a)
    {
        var value = a["normalized_shape"];
        if (value.Kind == ArgumentKind.Int) return [a.Int("normalized_shape", 1)];
        if (value.Kind == ArgumentKind.Tuple && value.Items.Count > 0 && value.Items.All(i => i.Kind == ArgumentKind.Int && i.Number >= 1 && i.Number <= int.MaxValue))
        {
            return [.. value.Items.Select(i => (int)i.Number)];
        }
        throw a.Problem("normalized_shape", $"must be a positive integer or a tuple of them, got {value}");
    }
}

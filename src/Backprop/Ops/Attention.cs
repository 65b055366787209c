using System.Numerics;
using Backprop.Autograd;

namespace Backprop;

/// <summary>Scaled dot-product attention as one op, as PyTorch's <c>F.scaled_dot_product_attention</c>, with its own derivative.</summary>
public static class Attention
{
    /// <summary>
    /// y = softmax(q·kᵀ·scale + mask)·v for <paramref name="query"/> [..., L, E], <paramref name="key"/> [..., S, E] and
    /// <paramref name="value"/> [..., S, Ev], giving [..., L, Ev]; the leading (batch, head) axes broadcast, and the three
    /// share one floating-point dtype. <paramref name="scale"/> is 1/√E unless given.
    /// <paramref name="mask"/> is additive, as PyTorch's float attention mask: it broadcasts to the scores [..., L, S] and
    /// is added to them before the softmax, so 0 attends and −∞ does not (PyTorch's boolean mask, false = not attended,
    /// is the additive mask with −∞ where it is false); it is a constant, never differentiated.
    /// <paramref name="isCausal"/> keeps query i from key j &gt; i (PyTorch's top-left aligned lower triangle); it cannot
    /// be combined with a mask, as in PyTorch. A query row with every key masked gives NaN, as in PyTorch.
    /// Derivative, with P the saved attention weights and g = dL/dy: dv = Pᵀ·g; dP = g·vᵀ;
    /// dS = P ⊙ (dP − rowsum(dP ⊙ P)); dq = dS·k·scale; dk = dSᵀ·q·scale.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask = null, bool isCausal = false, double? scale = null)
    {
        const string Op = "scaled_dot_product_attention";
        CheckShapes(Op, query, key, value);
        if (isCausal && mask is not null) throw new ArgumentException($"{Op}: an explicit mask cannot be combined with is_causal");
        double factor = scale ?? 1 / Math.Sqrt(query.Shape[-1]);

        Tensor weights, y;
        using (new NoGrad())
        {
            var scores = LinearAlgebra.MatMul(query, key, transposeA: false, transposeB: true) * factor;
            if (mask is not null) scores = AddMask(Op, scores, mask);
            if (isCausal) MaskAboveDiagonal(scores);
            weights = scores.Softmax(-1);
            AttentionWeightsRecorder.Record(weights);
            y = LinearAlgebra.MatMul(weights, value, transposeA: false, transposeB: false);
        }
        return Graph.Record("scaled_dot_product_attention", y, [query, key, value], (query, key, value, weights, factor), static (s, g) =>
        {
            var dScores = (Tensor?)null;
            if (s.query.RequiresGrad || s.key.RequiresGrad)
            {
                var dWeights = LinearAlgebra.MatMul(g, s.value, transposeA: false, transposeB: true);
                dScores = s.weights * (dWeights - (dWeights * s.weights).Sum(-1, keepDims: true)) * s.factor;
            }
            return [
                s.query.RequiresGrad ? LinearAlgebra.MatMul(dScores!, s.key, transposeA: false, transposeB: false) : null,
                s.key.RequiresGrad ? LinearAlgebra.MatMul(dScores!, s.query, transposeA: true, transposeB: false) : null,
                s.value.RequiresGrad ? LinearAlgebra.MatMul(s.weights, g, transposeA: true, transposeB: false) : null,
            ];
        });
    }

    private static void CheckShapes(string op, Tensor query, Tensor key, Tensor value)
    {
        if (query.Rank < 2 || key.Rank < 2 || value.Rank < 2)
        {
            throw new ArgumentException($"{op}: query, key and value need at least 2 dimensions ([..., L, E], [..., S, E], [..., S, Ev]), got shapes {query.Shape}, {key.Shape} and {value.Shape}");
        }
        if (key.Shape[-1] != query.Shape[-1]) throw new ArgumentException($"{op}: key of shape {key.Shape} does not have the query's embedding size {query.Shape[-1]} (query shape {query.Shape})");
        if (value.Shape[-2] != key.Shape[-2]) throw new ArgumentException($"{op}: value of shape {value.Shape} does not have the key's sequence length {key.Shape[-2]} (key shape {key.Shape})");
        if (key.DType != query.DType || value.DType != query.DType)
        {
            throw new ArgumentException($"{op}: query, key and value must share one dtype, got {query.DType}, {key.DType} and {value.DType}");
        }
        query.RequireFloatingPoint(op);
    }

    /// <summary>scores + mask, where the mask must broadcast to the scores' shape without growing it.</summary>
    private static Tensor AddMask(string op, Tensor scores, Tensor mask)
    {
        bool fits = mask.Rank <= scores.Rank;
        for (int axis = 1; fits && axis <= mask.Rank; axis++) fits = mask.Shape[-axis] == 1 || mask.Shape[-axis] == scores.Shape[-axis];
        if (!fits) throw new ArgumentException($"{op}: mask of shape {mask.Shape} does not broadcast to the attention scores' shape {scores.Shape}");
        return scores + mask.To(scores.DType);
    }

    /// <summary>Sets score [..., i, j] to −∞ for every key j after query i, in place, so the softmax gives it no weight.</summary>
    private static void MaskAboveDiagonal(Tensor scores)
    {
        if (scores.DType == DType.Float32) MaskAboveDiagonal(scores.Span<float>(), scores.Shape[-2], scores.Shape[-1]);
        else MaskAboveDiagonal(scores.Span<double>(), scores.Shape[-2], scores.Shape[-1]);
    }

    private static void MaskAboveDiagonal<T>(Span<T> scores, int rows, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < scores.Length; start += rows * columns)
        {
            for (int i = 0; i < rows && i + 1 < columns; i++) scores.Slice(start + i * columns + i + 1, columns - i - 1).Fill(T.NegativeInfinity);
        }
    }
}

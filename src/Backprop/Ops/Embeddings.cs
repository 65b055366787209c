using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Autograd;

namespace Backprop;

/// <summary>Looking up rows of a table by index, as PyTorch's <c>F.embedding</c>, with its own derivative.</summary>
public static class Embeddings
{
    /// <summary>
    /// y[…, :] = weight[indices[…], :]: int64 <paramref name="indices"/> of any shape [...] pick rows of
    /// <paramref name="weight"/> [num_embeddings, embedding_dim], giving [..., embedding_dim]. The indices are not
    /// differentiable. Derivative: each output row's gradient is added to the weight's row it came from (an index that
    /// repeats adds its gradients), except the row <paramref name="paddingIdx"/> (negative counts from the end), which gets none.
    /// </summary>
    public static Tensor Embedding(Tensor weight, Tensor indices, int? paddingIdx = null)
    {
        const string Op = "embedding";
        weight.RequireFloatingPoint(Op);
        if (weight.Rank != 2) throw new ArgumentException($"{Op}: weight must be [num_embeddings, embedding_dim], got shape {weight.Shape}");
        if (indices.DType != DType.Int64) throw new ArgumentException($"{Op}: indices must be int64, got {indices.DType}");
        int count = weight.Shape[0], dim = weight.Shape[1];
        int padding = NormalizePaddingIdx(Op, paddingIdx, count) ?? -1;
        var index = indices.Span<long>();
        for (int i = 0; i < index.Length; i++)
        {
            if (index[i] < 0 || index[i] >= count) throw new ArgumentException($"{Op}: index {index[i]} is out of range for {count} embeddings");
        }
        var y = Tensor.Empty(new Shape([.. indices.Shape.Dims, dim]), weight.DType);
        if (weight.DType == DType.Float32) Gather<float>(weight.Span<float>(), index, dim, y.Span<float>());
        else Gather<double>(weight.Span<double>(), index, dim, y.Span<double>());
        return Graph.Record("embedding", y, [weight], (weight, indices, padding), static (s, g) =>
        {
            var gw = Tensor.Zeros(s.weight.Shape, s.weight.DType);
            int d = s.weight.Shape[1];
            if (gw.DType == DType.Float32) ScatterAdd<float>(g.Span<float>(), s.indices.Span<long>(), d, s.padding, gw.Span<float>());
            else ScatterAdd<double>(g.Span<double>(), s.indices.Span<long>(), d, s.padding, gw.Span<double>());
            return [gw];
        });
    }

    /// <summary>
    /// <paramref name="paddingIdx"/> as a row in [0, <paramref name="count"/>) (negative counts from the end, as PyTorch),
    /// null when none, or an error naming <paramref name="what"/> when it is outside [−count, count).
    /// </summary>
    internal static int? NormalizePaddingIdx(string what, int? paddingIdx, int count) => paddingIdx switch
    {
        null => null,
        int p when p >= 0 && p < count => p,
        int p when p < 0 && p >= -count => p + count,
        int p => throw new ArgumentException($"{what}: padding_idx {p} is out of range for {count} embeddings"),
    };

    private static void Gather<T>(ReadOnlySpan<T> weight, ReadOnlySpan<long> index, int dim, Span<T> y) where T : unmanaged
    {
        for (int i = 0; i < index.Length; i++) weight.Slice((int)index[i] * dim, dim).CopyTo(y.Slice(i * dim, dim));
    }

    private static void ScatterAdd<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> index, int dim, int padding, Span<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < index.Length; i++)
        {
            if (index[i] == padding) continue;
            var row = gw.Slice((int)index[i] * dim, dim);
            TensorPrimitives.Add(row, g.Slice(i * dim, dim), row);
        }
    }
}

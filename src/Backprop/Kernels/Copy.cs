using System.Numerics;

namespace Backprop.Kernels;

/// <summary>Data movement: strided copies (transpose, broadcast) and copying slabs between arrays viewed as [outer, axis, inner].</summary>
internal static class Copy
{
    /// <summary>
    /// Fills <paramref name="result"/>, row-major over <paramref name="sizes"/>, reading x at Σ index·stride: with permuted
    /// strides this transposes, with zero strides it repeats (broadcasts).
    /// </summary>
    public static void Strided<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides, Span<T> result) where T : unmanaged
    {
        if (result.IsEmpty) return;
        int rank = sizes.Length;
        Span<int> counter = stackalloc int[rank];
        int offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = x[offset];
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                offset += strides[axis];
                if (++counter[axis] < sizes[axis]) break;
                offset -= strides[axis] * sizes[axis];
                counter[axis] = 0;
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="outer"/> rows, copies <paramref name="length"/> elements from the source row
    /// (rows <paramref name="sourceRow"/> apart, starting at <paramref name="sourceStart"/>) to the target row.
    /// </summary>
    public static void Slabs<T>(ReadOnlySpan<T> source, int sourceRow, int sourceStart, Span<T> target, int targetRow, int targetStart, int outer, int length)
        where T : unmanaged
    {
        for (int o = 0; o < outer; o++)
        {
            source.Slice(o * sourceRow + sourceStart, length).CopyTo(target.Slice(o * targetRow + targetStart, length));
        }
    }

    /// <summary>result[i] = x[i, index[i]] for x viewed as [rows, columns].</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, int columns, ReadOnlySpan<int> index, Span<T> result) where T : unmanaged
    {
        for (int i = 0; i < index.Length; i++) result[i] = x[i * columns + index[i]];
    }

    /// <summary>result[i, index[i]] = values[i] for result viewed as [rows, columns]; other elements untouched.</summary>
    public static void Scatter<T>(ReadOnlySpan<T> values, int columns, ReadOnlySpan<int> index, Span<T> result) where T : unmanaged
    {
        for (int i = 0; i < index.Length; i++) result[i * columns + index[i]] = values[i];
    }

    /// <summary>Converts element by element between float, double and long (to long: toward zero, saturating at its range).</summary>
    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> result)
        where TFrom : unmanaged, INumberBase<TFrom>
        where TTo : unmanaged, INumberBase<TTo>
    {
        for (int i = 0; i < x.Length; i++) result[i] = TTo.CreateTruncating(x[i]);
    }
}

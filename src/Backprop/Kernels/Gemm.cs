using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C = op(A) · op(B), where op transposes when its flag is set.
/// A is stored [m,k] (or [k,m] when transposed), B [k,n] (or [n,k]), C [m,n]. The flags let backward use
/// Aᵀ and Bᵀ without materialising them. float32 goes to the blocked SIMD kernel (<see cref="Sgemm"/>).
/// </summary>
internal static class Gemm
{
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A product with very few rows cannot repay packing B (for inference, one row): the direct path reads B once.
        // A·Bᵀ packs nothing, so it takes the SIMD kernel at any size.
        if (typeof(T) == typeof(float) && Sgemm.IsAccelerated && (m >= Sgemm.MinimumRows || (transposeB && !transposeA)))
        {
            Sgemm.Multiply(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), MemoryMarshal.Cast<T, float>(c));
            return;
        }
        Reference(transposeA, transposeB, m, n, k, a, b, c);
    }

    /// <summary>
    /// Rows shorter than this are multiplied (and, in a linear layer, given their bias; in im2col, copied) element by
    /// element: a call into <see cref="TensorPrimitives"/> or a span copy costs more than its vectors save on them (measured
    /// in the browser's WebAssembly interpreter, where a playground network's 2,500-point forward pass is 10,000 dot
    /// products of length 2; im2col's rows in LeNet-5 are 10 to 28 wide).
    /// </summary>
    internal const int ShortRow = 16;

    /// <summary>The portable path (float64, and float32 without SIMD): row-at-a-time multiply-adds and dot products.</summary>
    internal static void Reference<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!transposeB)
        {
            // Row i of C is Σ_p A[i,p] · (row p of B): a sequence of vectorised scale-and-add over contiguous rows.
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * n, n);
                row.Clear();
                for (int p = 0; p < k; p++)
                {
                    T aip = transposeA ? a[p * m + i] : a[i * k + p];
                    var bRow = b.Slice(p * n, n);
                    if (n < ShortRow)
                        for (int j = 0; j < n; j++) row[j] += aip * bRow[j];
                    else
                        TensorPrimitives.MultiplyAdd(bRow, aip, row, row);
                }
            }
            return;
        }

        // With B transposed, C[i,j] is the dot product of row i of op(A) with row j of B (both contiguous).
        T[]? column = transposeA ? new T[k] : null;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> aRow;
            if (column is null)
            {
                aRow = a.Slice(i * k, k);
            }
            else
            {
                for (int p = 0; p < k; p++) column[p] = a[p * m + i];
                aRow = column;
            }
            for (int j = 0; j < n; j++) c[i * n + j] = k < ShortRow ? ShortDot(aRow, b.Slice(j * k, k)) : TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
        }
    }

    private static T ShortDot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int p = 0; p < x.Length; p++) sum += x[p] * y[p];
        return sum;
    }
}

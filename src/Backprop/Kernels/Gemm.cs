using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C = op(A) · op(B), where op transposes when its flag is set.
/// A is stored [m,k] (or [k,m] when transposed), B [k,n] (or [n,k]), C [m,n]. The flags let backward use
/// Aᵀ and Bᵀ without materialising them.
/// </summary>
internal static class Gemm
{
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
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
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, row, row);
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
            for (int j = 0; j < n; j++) c[i * n + j] = TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
        }
    }
}

using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// C = A·Bᵀ for row-major A [m, k] and B [n, k] — a linear layer's x·Wᵀ — without packing: every C[i, j] is a dot
/// product of two rows that already lie contiguously in memory, so a 4 × 4 tile of C keeps 16 vector accumulators running
/// along k and reduces them once at the end. This beats packing B, whose transposed reads cost as much as the arithmetic at
/// a linear layer's sizes. <see cref="Sgemm"/> sends every A·Bᵀ here.
/// </summary>
internal static class SgemmRowDot
{
    private const int Tile = 4;

    /// <summary>C[rows, columns] for the rectangle rowStart..rowEnd × colStart..colEnd of C (row stride n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Region<TOps, TVector>(float* a, float* b, float* c, int n, int k, int rowStart, int rowEnd, int colStart, int colEnd)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        // Column tiles outside: a tile's four rows of B stay in L1 while A's rows stream past, so that B — in a convolution's
        // weight gradient the unfolded input, larger than L2 beside everything else — is read once, not once per row tile.
        for (int j = colStart; j < colEnd; j += Tile)
        {
            int cols = Math.Min(Tile, colEnd - j);
            for (int i = rowStart; i < rowEnd; i += Tile)
            {
                int rows = Math.Min(Tile, rowEnd - i);
                if (rows == Tile && cols == Tile)
                {
                    Tile4x4<TOps, TVector>(a + (long)i * k, b + (long)j * k, c + (long)i * n + j, n, k);
                    continue;
                }
                if (cols == Tile)
                {
                    // The last rows (one row for single-example inference): one row against four at a time.
                    for (int r = 0; r < rows; r++) Tile1x4<TOps, TVector>(a + (long)(i + r) * k, b + (long)j * k, c + (long)(i + r) * n + j, k);
                    continue;
                }
                for (int r = 0; r < rows; r++)
                {
                    for (int s = 0; s < cols; s++)
                    {
                        c[(long)(i + r) * n + j + s] = TensorPrimitives.Dot(new ReadOnlySpan<float>(a + (long)(i + r) * k, k), new ReadOnlySpan<float>(b + (long)(j + s) * k, k));
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile4x4<TOps, TVector>(float* a, float* b, float* c, int ldc, int k)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        int w = TOps.Width;
        TVector s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero;
        TVector s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero;
        TVector s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero;
        TVector s30 = TOps.Zero, s31 = TOps.Zero, s32 = TOps.Zero, s33 = TOps.Zero;
        float* a1 = a + k, a2 = a + 2L * k, a3 = a + 3L * k;
        float* b1 = b + k, b2 = b + 2L * k, b3 = b + 3L * k;
        int p = 0;
        for (; p + w <= k; p += w)
        {
            TVector x0 = TOps.Load(ref a[p]), x1 = TOps.Load(ref a1[p]), x2 = TOps.Load(ref a2[p]), x3 = TOps.Load(ref a3[p]);
            TVector y = TOps.Load(ref b[p]);
            s00 = TOps.MultiplyAdd(x0, y, s00); s10 = TOps.MultiplyAdd(x1, y, s10); s20 = TOps.MultiplyAdd(x2, y, s20); s30 = TOps.MultiplyAdd(x3, y, s30);
            y = TOps.Load(ref b1[p]);
            s01 = TOps.MultiplyAdd(x0, y, s01); s11 = TOps.MultiplyAdd(x1, y, s11); s21 = TOps.MultiplyAdd(x2, y, s21); s31 = TOps.MultiplyAdd(x3, y, s31);
            y = TOps.Load(ref b2[p]);
            s02 = TOps.MultiplyAdd(x0, y, s02); s12 = TOps.MultiplyAdd(x1, y, s12); s22 = TOps.MultiplyAdd(x2, y, s22); s32 = TOps.MultiplyAdd(x3, y, s32);
            y = TOps.Load(ref b3[p]);
            s03 = TOps.MultiplyAdd(x0, y, s03); s13 = TOps.MultiplyAdd(x1, y, s13); s23 = TOps.MultiplyAdd(x2, y, s23); s33 = TOps.MultiplyAdd(x3, y, s33);
        }
        Row(c, p, k, a, b, b1, b2, b3, TOps.Sums(s00, s01, s02, s03));
        Row(c + ldc, p, k, a1, b, b1, b2, b3, TOps.Sums(s10, s11, s12, s13));
        Row(c + 2L * ldc, p, k, a2, b, b1, b2, b3, TOps.Sums(s20, s21, s22, s23));
        Row(c + 3L * ldc, p, k, a3, b, b1, b2, b3, TOps.Sums(s30, s31, s32, s33));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile1x4<TOps, TVector>(float* a, float* b, float* c, int k)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        int w = TOps.Width;
        TVector s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        float* b1 = b + k, b2 = b + 2L * k, b3 = b + 3L * k;
        int p = 0;
        for (; p + w <= k; p += w)
        {
            TVector x = TOps.Load(ref a[p]);
            s0 = TOps.MultiplyAdd(x, TOps.Load(ref b[p]), s0);
            s1 = TOps.MultiplyAdd(x, TOps.Load(ref b1[p]), s1);
            s2 = TOps.MultiplyAdd(x, TOps.Load(ref b2[p]), s2);
            s3 = TOps.MultiplyAdd(x, TOps.Load(ref b3[p]), s3);
        }
        Row(c, p, k, a, b, b1, b2, b3, TOps.Sums(s0, s1, s2, s3));
    }

    /// <summary>Writes one row of the tile: the vector sums plus the scalar tail of k that did not fill a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Row(float* c, int p, int k, float* a, float* b0, float* b1, float* b2, float* b3, Vector128<float> sums)
    {
        for (int q = p; q < k; q++) sums += Vector128.Create(b0[q], b1[q], b2[q], b3[q]) * a[q];
        sums.Store(c);
    }
}

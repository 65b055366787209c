using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// Single-precision GEMM in the BLIS layout: C = op(A)·op(B), row-major. Blocks of op(B) (KC × NC) and op(A) (MC × KC) are
/// packed into contiguous panels, reading through the transpose flags, so the inner kernel never sees a stride (except B read
/// in place, see <see cref="ReadsBInPlace"/>); an 8 × 2-vector register tile of C (6 × 2 where the CPU has 16 vector
/// registers, not 32) accumulates one k-block per call. A large product is cut along the longer side of C into a part per
/// thread (<see cref="Threads.Count"/>, run by <see cref="WorkerPool"/>); every element of C is computed by one thread in
/// one fixed order, so results do not depend on the split or the number of threads.
/// </summary>
internal static class Sgemm
{
    /// <summary>The most k per block: a B micro-panel of 288 rows × 32 floats (36 KB) and its A micro-panel stay in a 48 KB L1.</summary>
    private const int KC = 288;
    private const int MC = 96;
    private const int NC = 2048;

    /// <summary>Below this many rows of C the direct path is faster than packing (measured with backprop bench).</summary>
    internal const int MinimumRows = 4;

    /// <summary>Products with at least this many multiply-adds are shared between threads (measured with backprop bench on two cores).</summary>
    internal static long ParallelThreshold { get; set; } = 1L << 21;

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    /// <summary>The widest vectors the hardware has (as the JIT sees it: see <see cref="Backprop.VectorPath"/>), one compiled kernel each.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        if (Vector512.IsHardwareAccelerated) Multiply<Vector512Ops, Vector512<float>>(transposeA, transposeB, m, n, k, a, b, c);
        else if (Vector256.IsHardwareAccelerated) Multiply<Vector256Ops, Vector256<float>>(transposeA, transposeB, m, n, k, a, b, c);
        else Multiply<Vector128Ops, Vector128<float>>(transposeA, transposeB, m, n, k, a, b, c);
    }

    /// <summary>The kernel of one vector width (the tests run each width the machine has, side by side).</summary>
    internal static unsafe void Multiply<TOps, TVector>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { c[..(m * n)].Clear(); return; }
        var layout = new Layout(transposeA, transposeB, m, n, k);
        fixed (float* aPtr = a, bPtr = b, cPtr = c)
        {
            var operands = new Operands(aPtr, bPtr, cPtr);
            bool splitColumns = n >= m;
            // Split at a boundary of every kernel's tiles (the register tile's rows or 4, 2 vectors or 4 columns), so that each
            // element of C is computed by the same tile, in the same order, as without the split.
            int tile = splitColumns ? 2 * TOps.Width : TileRows<TOps, TVector>() == 8 ? 8 : 12, side = splitColumns ? n : m;
            int parts = Math.Min(Threads.Count, (side + tile - 1) / tile);
            if ((long)m * n * k < ParallelThreshold || parts < 2)
            {
                Region<TOps, TVector>(layout, operands, 0, m, 0, n);
                return;
            }
            // Strips of C along its longer side, each a complete product of its own: one writer per element.
            var job = SplitJob<TOps, TVector>.ForThisThread;
            job.Set(layout, operands, splitColumns, tile, parts);
            WorkerPool.Run(job, parts);
        }
    }

    /// <summary>
    /// C[rows, cols] for a rectangle of C: the blocked loops over k-blocks, row blocks and column panels; A·Bᵀ goes to the
    /// unpacked row-dot kernel instead, which measured 1.2 to 2.2 times faster for every shape of a linear layer tried
    /// (64 to 256 rows, 128 to 512 outputs, 512 to 784 inputs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the slow first tier of the JIT
    private static unsafe void Region<TOps, TVector>(Layout layout, Operands operands, int rowStart, int rowEnd, int colStart, int colEnd)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        if (layout.TransposeB && !layout.TransposeA)
        {
            SgemmRowDot.Region<TOps, TVector>(operands.A, operands.B, operands.C, layout.N, layout.K, rowStart, rowEnd, colStart, colEnd);
            return;
        }
        int nr = 2 * TOps.Width, mr = TileRows<TOps, TVector>(), depth = BlockDepth(layout.K);
        bool bInPlace = ReadsBInPlace(layout);
        var packedB = ArrayPool<float>.Shared.Rent(depth * (bInPlace ? nr : RoundUp(Math.Min(colEnd - colStart, NC), nr)));
        var packedA = ArrayPool<float>.Shared.Rent(depth * RoundUp(MC, mr));
        try
        {
            for (int jc = colStart; jc < colEnd; jc += NC)
            {
                int nc = Math.Min(NC, colEnd - jc);
                for (int pc = 0; pc < layout.K; pc += depth)
                {
                    int kc = Math.Min(depth, layout.K - pc);
                    if (!bInPlace) PackB(layout, operands, pc, kc, jc, nc, nr, packedB);
                    for (int ic = rowStart; ic < rowEnd; ic += MC)
                    {
                        int mc = Math.Min(MC, rowEnd - ic);
                        PackA(layout, operands, ic, mc, pc, kc, mr, packedA);
                        new Block(layout, operands, packedA, packedB, bInPlace, ic, mc, pc, kc, jc, nc).Compute<TOps, TVector>();
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedB);
            ArrayPool<float>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// Rows of the register tile: 8 rows of 2 vectors are 16 accumulators, which with the 2 B vectors and an A broadcast fit
    /// AVX-512's 32 registers (and divide a layer's 64 or 128 outputs); AVX2's and SSE's 16 registers hold the 6-row tile
    /// (NEON's 32 could hold 8 rows of 4-float vectors; not measured, so it takes the 6 rows that fit everywhere).
    /// </summary>
    private static int TileRows<TOps, TVector>()
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct => TOps.Width == 16 ? 8 : 6;

    /// <summary>k per block: K cut into the fewest blocks of at most <see cref="KC"/>, of equal depth (288 in one, 300 in 150 + 150).</summary>
    private static int BlockDepth(int k)
    {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// Whether the kernel reads B's rows where they lie instead of packing them: when B is not transposed its micro-panel's
    /// rows are contiguous runs, and packing a conv layer's unfolded input (K = 288, 784 columns) took an eighth of its
    /// product. Only when B's row stride spreads the rows over L1's 64 sets: rows a whole number of cache lines apart start
    /// in 64 / gcd(lines, 64) sets, so a stride of 512 or 1024 floats (32 or 64 lines) would pile a panel's 288 rows into
    /// one or two sets (12 ways each) and evict them before the next row tile reads them again.
    /// </summary>
    private static bool ReadsBInPlace(Layout layout)
    {
        const int floatsPerLine = 16;
        if (layout.TransposeB) return false;
        if (layout.N % floatsPerLine != 0) return true;
        // An odd number of lines, or twice one, reaches every set (each row covers two or three lines).
        return BitOperations.TrailingZeroCount(layout.N / floatsPerLine) <= 1;
    }

    /// <summary>The strips of one product, a part each; cached per thread, so a product allocates nothing.</summary>
    private sealed class SplitJob<TOps, TVector> : IParallelWork
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        [ThreadStatic] private static SplitJob<TOps, TVector>? cached;
        private Layout layout;
        private Operands operands;
        private bool splitColumns;
        private int tile, parts;

        public static SplitJob<TOps, TVector> ForThisThread => cached ??= new();

        public void Set(Layout layout, Operands operands, bool splitColumns, int tile, int parts)
        {
            this.layout = layout;
            this.operands = operands;
            this.splitColumns = splitColumns;
            this.tile = tile;
            this.parts = parts;
        }

        /// <summary>Strip <paramref name="part"/>: an equal share of the side's tiles, the first strips one tile more.</summary>
        public void Run(int part)
        {
            int side = splitColumns ? layout.N : layout.M;
            int start = Math.Min(side, Boundary(part)), end = Math.Min(side, Boundary(part + 1));
            if (start >= end) return;
            if (splitColumns) Region<TOps, TVector>(layout, operands, 0, layout.M, start, end);
            else Region<TOps, TVector>(layout, operands, start, end, 0, layout.N);
        }

        private int Boundary(int part)
        {
            int tiles = ((splitColumns ? layout.N : layout.M) + tile - 1) / tile;
            return (tiles / parts * part + Math.Min(part, tiles % parts)) * tile;
        }
    }

    /// <summary>Where op(A) and op(B) live: element (i, p) of op(A) and (p, j) of op(B), whatever the flags.</summary>
    private readonly record struct Layout(bool TransposeA, bool TransposeB, int M, int N, int K)
    {
        public int AOffset(int i, int p) => TransposeA ? p * M + i : i * K + p;

        public int BOffset(int p, int j) => TransposeB ? j * K + p : p * N + j;
    }

    /// <summary>The three matrices, pinned by the caller for the duration of the product.</summary>
    private readonly unsafe struct Operands(float* a, float* b, float* c)
    {
        public readonly float* A = a;
        public readonly float* B = b;
        public readonly float* C = c;
    }

    /// <summary>One packed row block of A against the k-block of B (packed, or read in place): the column panels of C it updates.</summary>
    private readonly struct Block(Layout layout, Operands operands, float[] packedA, float[] packedB, bool bInPlace, int ic, int mc, int pc, int kc, int jc, int nc)
    {
        /// <summary>Updates this block of C, one column panel after another.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public unsafe void Compute<TOps, TVector>()
            where TOps : struct, IVectorOps<TVector>
            where TVector : struct
        {
            int nr = 2 * TOps.Width, mr = TileRows<TOps, TVector>();
            bool accumulate = pc > 0;
            Span<float> edge = stackalloc float[mr * nr];
            for (int panel = 0; panel * nr < nc; panel++)
            {
                int jr = panel * nr;
                int cols = Math.Min(nr, nc - jr);
                // B read in place has no zeros past its last column, so a ragged last panel is packed like any other.
                bool inPlace = bInPlace && cols == nr;
                if (bInPlace && !inPlace) PackB(layout, operands, pc, kc, jc + jr, cols, nr, packedB);
                ref float bPanel = ref inPlace ? ref *(operands.B + layout.BOffset(pc, jc + jr)) : ref packedB[bInPlace ? 0 : panel * kc * nr];
                int bStride = inPlace ? layout.N : nr;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    ref float aPanel = ref packedA[ir / mr * kc * mr];
                    float* cTile = operands.C + (long)(ic + ir) * layout.N + jc + jr;
                    if (rows == mr && cols == nr)
                    {
                        MicroKernel<TOps, TVector>(kc, ref aPanel, ref bPanel, bStride, ref *cTile, layout.N, accumulate);
                        continue;
                    }
                    // A ragged edge: compute the full tile into a scratch tile, then copy or add its valid part.
                    MicroKernel<TOps, TVector>(kc, ref aPanel, ref bPanel, bStride, ref MemoryMarshal.GetReference(edge), nr, accumulate: false);
                    for (int i = 0; i < rows; i++)
                    {
                        var computed = edge.Slice(i * nr, cols);
                        var row = new Span<float>(cTile + (long)i * layout.N, cols);
                        if (accumulate) TensorPrimitives.Add(row, computed, row);
                        else computed.CopyTo(row);
                    }
                }
            }
        }
    }

    /// <summary>
    /// op(B)[pc.., jc..] into panels of NR columns: panel s holds, for each p, the NR values of row p (zero-padded).
    /// Loops run along B's rows in memory, whichever way it is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(Layout layout, Operands operands, int pc, int kc, int jc, int nc, int nr, float[] packed)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            var panel = packed.AsSpan(jr / nr * kc * nr, kc * nr);
            if (cols < nr) panel.Clear();
            if (!layout.TransposeB)
            {
                for (int p = 0; p < kc; p++) new ReadOnlySpan<float>(operands.B + layout.BOffset(pc + p, jc + jr), cols).CopyTo(panel.Slice(p * nr, cols));
                continue;
            }
            for (int j = 0; j < cols; j++)
            {
                float* row = operands.B + layout.BOffset(pc, jc + jr + j); // column j of op(B) is row j of B: contiguous in p
                for (int p = 0; p < kc; p++) panel[p * nr + j] = row[p];
            }
        }
    }

    /// <summary>
    /// op(A)[ic.., pc..] into panels of <paramref name="mr"/> rows: panel r holds, for each p, the mr values of column p
    /// (zero-padded). Loops run along A's rows in memory, whichever way it is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(Layout layout, Operands operands, int ic, int mc, int pc, int kc, int mr, float[] packed)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            var panel = packed.AsSpan(ir / mr * kc * mr, kc * mr);
            if (rows < mr) panel.Clear();
            if (layout.TransposeA)
            {
                for (int p = 0; p < kc; p++) new ReadOnlySpan<float>(operands.A + layout.AOffset(ic + ir, pc + p), rows).CopyTo(panel.Slice(p * mr, rows));
                continue;
            }
            for (int i = 0; i < rows; i++)
            {
                float* row = operands.A + layout.AOffset(ic + ir + i, pc);
                for (int p = 0; p < kc; p++) panel[p * mr + i] = row[p];
            }
        }
    }

    /// <summary>
    /// The register tile: C[0..R, 0..2W] (+)= Σ_p aPanel[p, 0..R] ⊗ bPanel[p, 0..2W] for R = <see cref="TileRows"/>, with 2R
    /// vector accumulators; B's rows lie <paramref name="bStride"/> floats apart. R is a constant of each width's compiled
    /// kernel, so the rows beyond 6 cost the 6-row kernel nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel<TOps, TVector>(int kc, ref float aPanel, ref float bPanel, int bStride, ref float c, int ldc, bool accumulate)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        int w = TOps.Width, mr = TileRows<TOps, TVector>();
        TVector c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero;
        ref float aRef = ref aPanel;
        ref float bRef = ref bPanel;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(ref bRef);
            TVector b1 = TOps.Load(ref Unsafe.Add(ref bRef, w));
            TVector a0 = TOps.Broadcast(aRef);
            c00 = TOps.MultiplyAdd(a0, b0, c00); c01 = TOps.MultiplyAdd(a0, b1, c01);
            TVector a1 = TOps.Broadcast(Unsafe.Add(ref aRef, 1));
            c10 = TOps.MultiplyAdd(a1, b0, c10); c11 = TOps.MultiplyAdd(a1, b1, c11);
            TVector a2 = TOps.Broadcast(Unsafe.Add(ref aRef, 2));
            c20 = TOps.MultiplyAdd(a2, b0, c20); c21 = TOps.MultiplyAdd(a2, b1, c21);
            TVector a3 = TOps.Broadcast(Unsafe.Add(ref aRef, 3));
            c30 = TOps.MultiplyAdd(a3, b0, c30); c31 = TOps.MultiplyAdd(a3, b1, c31);
            TVector a4 = TOps.Broadcast(Unsafe.Add(ref aRef, 4));
            c40 = TOps.MultiplyAdd(a4, b0, c40); c41 = TOps.MultiplyAdd(a4, b1, c41);
            TVector a5 = TOps.Broadcast(Unsafe.Add(ref aRef, 5));
            c50 = TOps.MultiplyAdd(a5, b0, c50); c51 = TOps.MultiplyAdd(a5, b1, c51);
            if (mr == 8)
            {
                TVector a6 = TOps.Broadcast(Unsafe.Add(ref aRef, 6));
                c60 = TOps.MultiplyAdd(a6, b0, c60); c61 = TOps.MultiplyAdd(a6, b1, c61);
                TVector a7 = TOps.Broadcast(Unsafe.Add(ref aRef, 7));
                c70 = TOps.MultiplyAdd(a7, b0, c70); c71 = TOps.MultiplyAdd(a7, b1, c71);
            }
            aRef = ref Unsafe.Add(ref aRef, mr);
            bRef = ref Unsafe.Add(ref bRef, bStride);
        }
        StoreRow<TOps, TVector>(ref c, w, c00, c01, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, ldc), w, c10, c11, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 2 * ldc), w, c20, c21, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 3 * ldc), w, c30, c31, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 4 * ldc), w, c40, c41, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 5 * ldc), w, c50, c51, accumulate);
        if (mr < 8) return;
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 6 * ldc), w, c60, c61, accumulate);
        StoreRow<TOps, TVector>(ref Unsafe.Add(ref c, 7 * ldc), w, c70, c71, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TOps, TVector>(ref float row, int w, TVector first, TVector second, bool accumulate)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        ref float upper = ref Unsafe.Add(ref row, w);
        if (accumulate)
        {
            first = TOps.Add(first, TOps.Load(ref row));
            second = TOps.Add(second, TOps.Load(ref upper));
        }
        TOps.Store(first, ref row);
        TOps.Store(second, ref upper);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

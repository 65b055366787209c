using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// A 3×3 convolution of stride 1, without dilation or groups, by Winograd's F(2×2, 3×3) (<see cref="Winograd2x3"/>), a
/// chunk of examples per part as <see cref="Conv2dChunks"/> runs im2col: the chunk's input tiles transformed into
/// V [16, C, tiles], the 16 products M_ξ = U_ξ · V_ξ (<see cref="Gemm"/>), and M transformed back straight into the
/// output's [N, O, OH, OW] planes with the bias added: 2.25× fewer multiplications than im2col's product, and neither
/// an unfolded copy nor an axis swap. Backward: dM, the output gradient's tiles through the adjoint of the output
/// transform; dU_ξ = dM_ξ · V_ξᵀ per chunk, summed in chunk order and turned into dW by the adjoint of the weight
/// transform; dV_ξ = U_ξᵀ · dM_ξ, turned into dx by the adjoint of the input transform. The chunk size depends on the
/// shapes only, so results are the same for any number of threads.
/// </summary>
internal static class WinogradConv2d
{
    /// <summary>
    /// Fewer channels than this go to im2col: the products' depth is C (not 9·C), and with few channels the transforms,
    /// which cost the same per value either way, outweigh what the products save. Measured at batch 64 on 2 threads (best
    /// of 1.5 s, forward + backward): 4→8 on 28×28 973 µs by im2col against 1051 by Winograd; 8→8 on 14×14 492 against
    /// 390, 8→16 on 28×28 2262–2298 against 2017–2287, 64→64 on 7×7 (a ragged tile row, half the lanes idle) 4018–4038 against
    /// 3959–3997, 32→64 on 14×14 6215 against 4496.
    /// </summary>
    private const int MinimumChannels = 8;

    /// <summary>Tiles (product columns) a chunk aims at.</summary>
    private const int TargetTiles = 196;

    /// <summary>Whether F(2×2, 3×3) computes this convolution.</summary>
    public static bool Fits(in Conv2dGeometry g) =>
        g is { KH: 3, KW: 3, StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1 }
        && g.C >= MinimumChannels && g.O >= MinimumChannels && Vector.IsHardwareAccelerated;

    private static Conv2dChunks.Chunking ChunkingOf(in Conv2dGeometry g)
    {
        int tiles = TilesPerExample(g);
        return new(g, Conv2dChunks.ChunkSize(g.N, tiles, TargetTiles, (long)Winograd2x3.Elements * g.C * tiles));
    }

    private static int TilesPerExample(in Conv2dGeometry g)
    {
        var (rows, columns) = Winograd2x3.Tiles(g);
        return rows * columns;
    }

    /// <summary>y [N, O, OH, OW] = conv2d(x [N, C, H, W], weight [O, C, 3, 3]) + bias [O] (when given).</summary>
    public static void Forward<T>(T[] x, T[] weight, T[]? bias, in Conv2dGeometry g, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chunking = ChunkingOf(g);
        var u = TransformedWeights(weight, g);
        var job = ForwardJob<T>.ForThisThread;
        job.Set(x, u, bias, chunking, y);
        try { chunking.Run(job); }
        finally
        {
            job.Set(null!, null!, null, chunking, null!); // the cached job keeps no tensor alive
            ArrayPool<T>.Shared.Return(u);
        }
    }

    /// <summary>
    /// From the output's gradient <paramref name="gy"/> [N, O, OH, OW]: the input's gradient into <paramref name="dx"/>, the
    /// weight's into <paramref name="dw"/> and the bias's into <paramref name="db"/> (each when given; all overwritten).
    /// </summary>
    public static void Backward<T>(T[] x, T[] weight, T[] gy, in Conv2dGeometry g, T[]? dx, T[]? dw, T[]? db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chunking = ChunkingOf(g);
        int transformed = Winograd2x3.Elements * g.O * g.C;
        var u = dx is null ? null : TransformedWeights(weight, g);
        // Each chunk's dU, added up in chunk order.
        var partials = dw is null ? null : ArrayPool<T>.Shared.Rent(chunking.Count * transformed);
        var rowSums = db is null ? null : ArrayPool<T>.Shared.Rent(g.N * g.O);
        var job = BackwardJob<T>.ForThisThread;
        job.Set(x, u, gy, chunking, dx, partials, rowSums);
        try
        {
            chunking.Run(job);
            if (dw is not null && partials is not null)
            {
                var sum = partials.AsSpan(0, transformed);
                Conv2dChunks.AddPartials<T>(sum, partials.AsSpan(transformed), chunking.Count - 1);
                Winograd2x3.WeightGradient<T>(sum, g.O * g.C, dw);
            }
            if (db is not null && rowSums is not null) Conv2dChunks.SumRows(rowSums, g.N, db.AsSpan(0, g.O));
        }
        finally
        {
            job.Set(null!, null, null!, chunking, null, null, null);
            if (u is not null) ArrayPool<T>.Shared.Return(u);
            if (partials is not null) ArrayPool<T>.Shared.Return(partials);
            if (rowSums is not null) ArrayPool<T>.Shared.Return(rowSums);
        }
    }

    /// <summary>U [16, O, C], in a rented buffer.</summary>
    private static T[] TransformedWeights<T>(T[] weight, in Conv2dGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = ArrayPool<T>.Shared.Rent(Winograd2x3.Elements * g.O * g.C);
        Winograd2x3.TransformWeights<T>(weight, g.O * g.C, u);
        return u;
    }

    /// <summary>A chunk's working buffers, rented for one part: [16, channels, columns] with room for a vector past the end.</summary>
    private static T[] Transformed<T>(int channels, int columns) => ArrayPool<T>.Shared.Rent(Winograd2x3.Elements * channels * columns + Vector<T>.Count);

    /// <summary>V [16, C, columns] of the chunk's examples from <paramref name="first"/> on.</summary>
    private static void TransformInput<T>(T[] x, in Conv2dGeometry g, int first, int examples, int columns, T[] split, T[] v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, tiles = TilesPerExample(g);
        split.AsSpan(0, 2 * Winograd2x3.SplitPlaneSize<T>(g)).Clear();
        for (int c = 0; c < g.C; c++)
        {
            for (int n = 0; n < examples; n++)
            {
                Winograd2x3.InputPlane<T>(x.AsSpan(((first + n) * g.C + c) * plane, plane), g, split, v, g.C * columns, c * columns + n * tiles);
            }
        }
    }

    /// <summary>The forward pass, a chunk per part; cached per thread, so a convolution allocates nothing for it.</summary>
    private sealed class ForwardJob<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static ForwardJob<T>? cached;
        private T[] x = null!, u = null!, y = null!;
        private T[]? bias;
        private Conv2dChunks.Chunking chunking;

        public static ForwardJob<T> ForThisThread => cached ??= new();

        public void Set(T[] x, T[] u, T[]? bias, in Conv2dChunks.Chunking chunking, T[] y)
        {
            (this.x, this.u, this.bias, this.chunking, this.y) = (x, u, bias, chunking, y);
        }

        public void Run(int part)
        {
            var g = chunking.Whole;
            var (first, chunk) = chunking.Part(part);
            int tiles = TilesPerExample(g), columns = chunk.N * tiles, plane = g.OH * g.OW;
            var v = Transformed<T>(g.C, columns);
            var m = Transformed<T>(g.O, columns);
            var split = ArrayPool<T>.Shared.Rent(2 * Winograd2x3.SplitPlaneSize<T>(g));
            try
            {
                TransformInput(x, g, first, chunk.N, columns, split, v);
                for (int e = 0; e < Winograd2x3.Elements; e++)
                {
                    Gemm.Multiply<T>(false, false, g.O, columns, g.C, u.AsSpan(e * g.O * g.C, g.O * g.C), v.AsSpan(e * g.C * columns, g.C * columns),
                        m.AsSpan(e * g.O * columns, g.O * columns));
                }
                for (int o = 0; o < g.O; o++)
                {
                    for (int n = 0; n < chunk.N; n++)
                    {
                        Winograd2x3.OutputPlane<T>(m, g.O * columns, o * columns + n * tiles, g, bias is null ? T.Zero : bias[o],
                            y.AsSpan(((first + n) * g.O + o) * plane, plane));
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(v);
                ArrayPool<T>.Shared.Return(m);
                ArrayPool<T>.Shared.Return(split);
            }
        }
    }

    /// <summary>The backward pass, a chunk per part: its gradient planes' sums, dM, its dU, then dx for its examples.</summary>
    private sealed class BackwardJob<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static BackwardJob<T>? cached;
        private T[] x = null!, gy = null!;
        private T[]? u, dx, partials, rowSums;
        private Conv2dChunks.Chunking chunking;

        public static BackwardJob<T> ForThisThread => cached ??= new();

        public void Set(T[] x, T[]? u, T[] gy, in Conv2dChunks.Chunking chunking, T[]? dx, T[]? partials, T[]? rowSums)
        {
            (this.x, this.u, this.gy, this.chunking, this.dx, this.partials, this.rowSums) = (x, u, gy, chunking, dx, partials, rowSums);
        }

        public void Run(int part)
        {
            var g = chunking.Whole;
            var (first, chunk) = chunking.Part(part);
            int tiles = TilesPerExample(g), columns = chunk.N * tiles, plane = g.OH * g.OW, transformed = Winograd2x3.Elements * g.O * g.C;
            if (rowSums is not null) Conv2dChunks.SumPlanes<T>(gy.AsSpan(first * g.O * plane, chunk.N * g.O * plane), plane, rowSums.AsSpan(first * g.O, chunk.N * g.O));
            var dm = Transformed<T>(g.O, columns);
            var v = Transformed<T>(g.C, columns);
            var split = ArrayPool<T>.Shared.Rent(2 * Winograd2x3.SplitPlaneSize<T>(g));
            try
            {
                split.AsSpan(0, 2 * Winograd2x3.SplitPlaneSize<T>(g)).Clear();
                for (int o = 0; o < g.O; o++)
                {
                    for (int n = 0; n < chunk.N; n++)
                    {
                        Winograd2x3.OutputGradientPlane<T>(gy.AsSpan(((first + n) * g.O + o) * plane, plane), g, split, dm, g.O * columns,
                            o * columns + n * tiles);
                    }
                }
                if (partials is not null)
                {
                    // dU_ξ = dM_ξ · V_ξᵀ over the chunk's tiles.
                    TransformInput(x, g, first, chunk.N, columns, split, v);
                    for (int e = 0; e < Winograd2x3.Elements; e++)
                    {
                        Gemm.Multiply<T>(false, true, g.O, g.C, columns, dm.AsSpan(e * g.O * columns, g.O * columns), v.AsSpan(e * g.C * columns, g.C * columns),
                            partials.AsSpan(part * transformed + e * g.O * g.C, g.O * g.C));
                    }
                }
                if (dx is not null && u is not null)
                {
                    // dV_ξ = U_ξᵀ · dM_ξ, then back through the input transform onto the input planes.
                    for (int e = 0; e < Winograd2x3.Elements; e++)
                    {
                        Gemm.Multiply<T>(true, false, g.C, columns, g.O, u.AsSpan(e * g.O * g.C, g.O * g.C), dm.AsSpan(e * g.O * columns, g.O * columns),
                            v.AsSpan(e * g.C * columns, g.C * columns));
                    }
                    int inputPlane = g.H * g.W;
                    for (int c = 0; c < g.C; c++)
                    {
                        for (int n = 0; n < chunk.N; n++)
                        {
                            Winograd2x3.InputGradientPlane<T>(v, g.C * columns, c * columns + n * tiles, g, split,
                                dx.AsSpan(((first + n) * g.C + c) * inputPlane, inputPlane));
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(dm);
                ArrayPool<T>.Shared.Return(v);
                ArrayPool<T>.Shared.Return(split);
            }
        }
    }
}

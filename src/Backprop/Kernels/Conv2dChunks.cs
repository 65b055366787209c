using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// A 2-D convolution computed a chunk of examples at a time, each chunk a part for <see cref="WorkerPool"/>: the chunk's
/// input is unfolded (<see cref="Im2Col"/>) into a buffer small enough to stay in the core's cache, multiplied by the
/// weight matrix per group (<see cref="Gemm"/>), and the product written into the chunk's slice of the [N, O, OH, OW]
/// output with the bias added. Unfolding the whole batch at once wrote a matrix nine times the input (14 MB for a
/// 32→64 3×3 layer at batch 64) to memory and read it back; a chunk's stays in the cache. The backward pass unfolds each
/// chunk again rather than keeping the columns. The chunk size depends on the shapes only, and the weight gradient is
/// summed chunk by chunk in chunk order, so results are the same for any number of threads. The 3×3 stride-1
/// convolutions <see cref="WinogradConv2d.Fits"/> accepts are handed to it, with the same chunking.
/// </summary>
internal static class Conv2dChunks
{
    /// <summary>Output columns (examples × positions) a chunk aims at: products this wide ran 1.2× faster than 196-wide ones here.</summary>
    private const int TargetColumns = 784;

    /// <summary>At most this many values in a chunk's working buffers (1 MB of float32, the L2 cache of one core here).</summary>
    private const int MaximumValues = 1 << 18;

    /// <summary>
    /// Examples per chunk: enough for a product <paramref name="targetColumns"/> wide (<paramref name="columnsPerExample"/>
    /// each), few enough that the chunk's <paramref name="valuesPerExample"/> stay in the cache, and the batch cut into
    /// chunks of about equal size (64 examples of 100 positions: 8 chunks of 8, not 9 of 7 and one of 1), so that the
    /// threads finish together.
    /// </summary>
    internal static int ChunkSize(int examples, long columnsPerExample, int targetColumns, long valuesPerExample)
    {
        long chunks = Math.Max(1, (long)Math.Round((double)examples * columnsPerExample / targetColumns));
        long size = (examples + chunks - 1) / chunks;
        return (int)Math.Clamp(Math.Min(size, MaximumValues / Math.Max(1, valuesPerExample)), 1, examples);
    }

    /// <summary>y [N, O, OH, OW] = conv2d(x [N, C, H, W], weight [O, C/G, KH, KW]) + bias [O] (when given).</summary>
    public static void Forward<T>(T[] x, T[] weight, T[]? bias, in Conv2dGeometry g, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WinogradConv2d.Fits(g))
        {
            WinogradConv2d.Forward(x, weight, bias, g, y);
            return;
        }
        var chunking = Chunking.Of(g);
        var job = ForwardJob<T>.ForThisThread;
        job.Set(x, weight, bias, chunking, y);
        try { chunking.Run(job); }
        finally { job.Set(null!, null!, null, chunking, null!); } // the cached job keeps no tensor alive
    }

    /// <summary>
    /// From the output's gradient <paramref name="gy"/> [N, O, OH, OW]: the input's gradient into <paramref name="dx"/>, the
    /// weight's into <paramref name="dw"/> and the bias's into <paramref name="db"/> (each when given; all overwritten).
    /// </summary>
    public static void Backward<T>(T[] x, T[] weight, T[] gy, in Conv2dGeometry g, T[]? dx, T[]? dw, T[]? db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WinogradConv2d.Fits(g))
        {
            WinogradConv2d.Backward(x, weight, gy, g, dx, dw, db);
            return;
        }
        var chunking = Chunking.Of(g);
        int chunks = chunking.Count, weightSize = g.O * g.GroupRows;
        // Chunk 0's weight gradient goes straight into dw, the others' into partial sums added to it in chunk order.
        var partials = dw is null || chunks == 1 ? null : ArrayPool<T>.Shared.Rent((chunks - 1) * weightSize);
        // Each chunk sums its examples' gradient rows while they are in its cache; db adds those sums up in example order.
        var rowSums = db is null ? null : ArrayPool<T>.Shared.Rent(g.N * g.O);
        var job = BackwardJob<T>.ForThisThread;
        job.Set(x, weight, gy, chunking, dx, dw, partials, rowSums);
        try
        {
            chunking.Run(job);
            if (dw is not null && partials is not null) AddPartials(dw.AsSpan(0, weightSize), partials, chunks - 1);
            if (db is not null && rowSums is not null) SumRows(rowSums, g.N, db.AsSpan(0, g.O));
        }
        finally
        {
            job.Set(null!, null!, null!, chunking, null, null, null, null);
            if (partials is not null) ArrayPool<T>.Shared.Return(partials);
            if (rowSums is not null) ArrayPool<T>.Shared.Return(rowSums);
        }
    }

    /// <summary>Adds the <paramref name="count"/> partial sums in <paramref name="partials"/> onto <paramref name="sum"/>, in chunk order.</summary>
    internal static void AddPartials<T>(Span<T> sum, ReadOnlySpan<T> partials, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int chunk = 0; chunk < count; chunk++) TensorPrimitives.Add(sum, partials.Slice(chunk * sum.Length, sum.Length), sum);
    }

    /// <summary>Each plane's sum (a chunk's gradient [examples, O, L]'s rows: the bias's gradient per example).</summary>
    internal static void SumPlanes<T>(ReadOnlySpan<T> planes, int planeSize, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int plane = 0; plane < sums.Length; plane++) sums[plane] = TensorPrimitives.Sum(planes.Slice(plane * planeSize, planeSize));
    }

    /// <summary>The bias's gradient: the per-example sums [N, O] added up in example order.</summary>
    internal static void SumRows<T>(T[] rowSums, int examples, Span<T> db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        db.Clear();
        for (int n = 0; n < examples; n++) TensorPrimitives.Add(db, rowSums.AsSpan(n * db.Length, db.Length), db);
    }

    /// <summary>How a batch is cut: <see cref="Size"/> examples per chunk (<see cref="ChunkSize"/>), the last chunk the rest.</summary>
    internal readonly record struct Chunking(Conv2dGeometry Whole, int Size)
    {
        /// <summary>im2col's chunks: <see cref="TargetColumns"/> output positions, their unfolded input in the cache.</summary>
        public static Chunking Of(in Conv2dGeometry g) => new(g, ChunkSize(g.N, g.L, TargetColumns, (long)g.C * g.KH * g.KW * g.L));

        public int Count => (Whole.N + Size - 1) / Size;

        /// <summary>Chunk <paramref name="chunk"/>'s first example and the geometry of a batch of just its examples.</summary>
        public (int First, Conv2dGeometry Geometry) Part(int chunk)
        {
            int first = chunk * Size;
            return (first, Whole with { N = Math.Min(Size, Whole.N - first) });
        }

        /// <summary>Every chunk of <paramref name="job"/>, on the library's threads when the convolution is large enough to share.</summary>
        public void Run(IParallelWork job)
        {
            if ((long)Whole.O * Whole.GroupRows * Whole.NL < Sgemm.ParallelThreshold) for (int chunk = 0; chunk < Count; chunk++) job.Run(chunk);
            else WorkerPool.Run(job, Count);
        }
    }

    /// <summary>A chunk's unfolded input [C·KH·KW, count·L], in a buffer rented for the part.</summary>
    private static T[] Unfolded<T>(T[] x, in Conv2dGeometry g, int first, in Conv2dGeometry chunk) where T : unmanaged, INumber<T>
    {
        var columns = ArrayPool<T>.Shared.Rent(g.C * g.KH * g.KW * chunk.NL);
        Im2Col.Unfold<T>(x.AsSpan(first * g.C * g.H * g.W, chunk.N * g.C * g.H * g.W), chunk, columns);
        return columns;
    }

    /// <summary>The forward pass, a chunk per part; cached per thread, so a convolution allocates nothing for it.</summary>
    private sealed class ForwardJob<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static ForwardJob<T>? cached;
        private T[] x = null!, weight = null!, y = null!;
        private T[]? bias;
        private Chunking chunking;

        public static ForwardJob<T> ForThisThread => cached ??= new();

        public void Set(T[] x, T[] weight, T[]? bias, in Chunking chunking, T[] y)
        {
            (this.x, this.weight, this.bias, this.chunking, this.y) = (x, weight, bias, chunking, y);
        }

        public void Run(int part)
        {
            var g = chunking.Whole;
            var (first, chunk) = chunking.Part(part);
            int rows = g.GroupRows, outputs = g.GroupOutputs, columns = chunk.NL;
            var unfolded = Unfolded(x, g, first, chunk);
            // One example's product is already its [O, OH·OW] slice of y; several need their channel and example axes swapped.
            var product = chunk.N == 1 ? null : ArrayPool<T>.Shared.Rent(g.O * columns);
            var target = product ?? y.AsSpan(first * g.O * g.L, g.O * g.L);
            try
            {
                for (int group = 0; group < g.Groups; group++)
                {
                    Gemm.Multiply<T>(false, false, outputs, columns, rows, weight.AsSpan(group * outputs * rows, outputs * rows),
                        unfolded.AsSpan(group * rows * columns, rows * columns), target.Slice(group * outputs * columns, outputs * columns));
                }
                if (product is not null)
                {
                    Im2Col.SwapLeadingAxes<T>(product.AsSpan(0, g.O * columns), g.O, chunk.N, g.L, y.AsSpan(first * g.O * g.L, g.O * columns), bias);
                }
                else if (bias is not null)
                {
                    for (int o = 0; o < g.O; o++)
                    {
                        var row = target.Slice(o * g.L, g.L);
                        TensorPrimitives.Add(row, bias[o], row);
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(unfolded);
                if (product is not null) ArrayPool<T>.Shared.Return(product);
            }
        }
    }

    /// <summary>The backward pass, a chunk per part: its gradient rows' sums, dW's partial sum for the chunk, then dx for its examples.</summary>
    private sealed class BackwardJob<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static BackwardJob<T>? cached;
        private T[] x = null!, weight = null!, gy = null!;
        private T[]? dx, dw, partials, rowSums;
        private Chunking chunking;

        public static BackwardJob<T> ForThisThread => cached ??= new();

        public void Set(T[] x, T[] weight, T[] gy, in Chunking chunking, T[]? dx, T[]? dw, T[]? partials, T[]? rowSums)
        {
            (this.x, this.weight, this.gy, this.chunking, this.dx, this.dw, this.partials, this.rowSums) = (x, weight, gy, chunking, dx, dw, partials, rowSums);
        }

        public void Run(int part)
        {
            var g = chunking.Whole;
            var (first, chunk) = chunking.Part(part);
            int rows = g.GroupRows, outputs = g.GroupOutputs, columns = chunk.NL, weightSize = g.O * rows;
            // The chunk's gradient as [O, count·OH·OW], the layout of the forward product.
            var gradientSlice = gy.AsSpan(first * g.O * g.L, g.O * columns);
            if (rowSums is not null) SumPlanes(gradientSlice, g.L, rowSums.AsSpan(first * g.O, chunk.N * g.O));
            var swapped = chunk.N == 1 ? null : ArrayPool<T>.Shared.Rent(g.O * columns);
            if (swapped is not null) Im2Col.SwapLeadingAxes<T>(gradientSlice, chunk.N, g.O, g.L, swapped);
            ReadOnlySpan<T> gradient = swapped is null ? gradientSlice : swapped.AsSpan(0, g.O * columns);
            T[]? unfolded = null;
            try
            {
                if (dw is not null)
                {
                    // dW_g (+)= g_g · cols_gᵀ over the chunk.
                    unfolded = Unfolded(x, g, first, chunk);
                    var sum = part == 0 ? dw.AsSpan(0, weightSize) : partials.AsSpan((part - 1) * weightSize, weightSize);
                    for (int group = 0; group < g.Groups; group++)
                    {
                        Gemm.Multiply<T>(false, true, outputs, rows, columns, gradient.Slice(group * outputs * columns, outputs * columns),
                            unfolded.AsSpan(group * rows * columns, rows * columns), sum.Slice(group * outputs * rows, outputs * rows));
                    }
                }
                if (dx is not null)
                {
                    // dx = fold(W_gᵀ · g_g): the columns' gradient, then added back onto the input values they were copied from.
                    unfolded ??= ArrayPool<T>.Shared.Rent(g.C * g.KH * g.KW * columns);
                    for (int group = 0; group < g.Groups; group++)
                    {
                        Gemm.Multiply<T>(true, false, rows, columns, outputs, weight.AsSpan(group * outputs * rows, outputs * rows),
                            gradient.Slice(group * outputs * columns, outputs * columns), unfolded.AsSpan(group * rows * columns, rows * columns));
                    }
                    Im2Col.Fold<T>(unfolded, chunk, dx.AsSpan(first * g.C * g.H * g.W, chunk.N * g.C * g.H * g.W));
                }
            }
            finally
            {
                if (unfolded is not null) ArrayPool<T>.Shared.Return(unfolded);
                if (swapped is not null) ArrayPool<T>.Shared.Return(swapped);
            }
        }
    }
}

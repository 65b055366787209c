using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// The unfolding that turns a convolution into one matrix product (im2col), and its adjoint (col2im), on one thread (the
/// convolution runs a chunk of examples per thread, <see cref="Conv2dChunks"/>). The unfolded input of N examples is a
/// matrix [C·KH·KW, N·OH·OW]: row (c, i, j) holds, for every example and output position, the input value that kernel
/// tap (i, j) of channel c sees there (zero in the padding). Its rows for one group are contiguous,
/// so a group's convolution is W_g [O/G, C/G·KH·KW] · cols_g.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="columns"/> [C·KH·KW, N·OH·OW] from the input <paramref name="x"/> [N, C, H, W].</summary>
    public static void Unfold<T>(ReadOnlySpan<T> x, in Conv2dGeometry g, Span<T> columns) where T : unmanaged, INumber<T>
    {
        for (int row = 0; row < g.C * g.KH * g.KW; row++) UnfoldRow(x, g, columns, row);
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/>: <paramref name="dx"/> [N, C, H, W] ← the sum, for each input value, of the
    /// entries of <paramref name="columns"/> that were copies of it (the input's gradient from the columns' gradient).
    /// </summary>
    /// <remarks>The entries of <paramref name="columns"/> that were copies of padding may be set to zero on the way.</remarks>
    public static void Fold<T>(Span<T> columns, in Conv2dGeometry g, Span<T> dx) where T : unmanaged, INumber<T>
    {
        for (int n = 0; n < g.N; n++)
        {
            for (int c = 0; c < g.C; c++)
            {
                if (!FoldPlaneByRows<T>(columns, g, dx, n, c)) FoldPlane(columns, g, dx, n, c);
            }
        }
    }

    /// <summary>Row (c, i, j) of the columns: what kernel tap (i, j) of channel c sees at every example and output position.</summary>
    private static void UnfoldRow<T>(ReadOnlySpan<T> x, in Conv2dGeometry g, Span<T> columns, int rowIndex) where T : unmanaged, INumber<T>
    {
        int l = g.L, plane = g.H * g.W;
        int c = rowIndex / (g.KH * g.KW), i = rowIndex / g.KW % g.KH, j = rowIndex % g.KW;
        var row = columns.Slice(rowIndex * g.NL, g.NL);
        var (first, last) = ValidColumns(g, j);
        var shifted = ShiftedPlane.For(g, i, j);
        // A tap whose every output position reads inside the input, along rows of stride 1 (LeNet-5's second convolution,
        // 5×5 without padding): each output row is one run of the input row, moved as one vector where it fits in one.
        int topRow = i * g.DilationH - g.PadTop, bottomRow = (g.OH - 1) * g.StrideH + topRow;
        bool inside = g.StrideW == 1 && first == 0 && last == g.OW - 1 && topRow >= 0 && bottomRow < g.H;
        for (int n = 0; n < g.N; n++)
        {
            var input = x.Slice((n * g.C + c) * plane, plane);
            if (shifted is { } block)
            {
                block.Unfold(input, row.Slice(n * l, l), g.W, first, last);
                continue;
            }
            int start = (n * g.C + c) * plane + topRow * g.W + j * g.DilationW - g.PadLeft;
            if (inside && CopyRunsAsVectors(x, start, g.StrideH * g.W, columns, rowIndex * g.NL + n * l, g.OW, g.OH)) continue;
            for (int oh = 0; oh < g.OH; oh++)
            {
                var output = row.Slice(n * l + oh * g.OW, g.OW);
                int ih = oh * g.StrideH - g.PadTop + i * g.DilationH;
                if (ih < 0 || ih >= g.H || first > last)
                {
                    output.Clear();
                    continue;
                }
                // Rows are short (LeNet-5's second convolution's are 10 wide): a profile had Clear and CopyTo, called per
                // row, as most of its samples, so short runs move as one vector or element by element.
                int iw = first * g.StrideW - g.PadLeft + j * g.DilationW, count = last - first + 1;
                int from = (n * g.C + c) * plane + ih * g.W + iw, to = rowIndex * g.NL + n * l + oh * g.OW + first;
                if (g.StrideW != 1) for (int ow = first; ow <= last; ow++, iw += g.StrideW) output[ow] = input[ih * g.W + iw];
                else if (count >= Gemm.ShortRow) x.Slice(from, count).CopyTo(columns.Slice(to, count));
                else CopyShortRun(x[from..], columns[to..], count);
                // After the copy, which may have run past the row's end.
                if (first > 0) output[..first].Clear();
                if (last + 1 < g.OW) output[(last + 1)..].Clear();
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="runs"/> runs of <paramref name="width"/> values, <paramref name="sourceStride"/> apart in
    /// <paramref name="source"/>, one after another into <paramref name="target"/>, each as one vector load and store; false
    /// (nothing copied) when a run is wider than a vector or the spans lack a vector's room past the last run. Each store
    /// runs on into the next run's place, written next (see <see cref="CopyShortRun"/>).
    /// </summary>
    private static bool CopyRunsAsVectors<T>(ReadOnlySpan<T> source, int from, int sourceStride, Span<T> target, int to, int width, int runs)
        where T : unmanaged, INumber<T>
    {
        int lastFrom = from + (runs - 1) * sourceStride, lastTo = to + (runs - 1) * width;
        ref T sourceStart = ref MemoryMarshal.GetReference(source);
        ref T targetStart = ref MemoryMarshal.GetReference(target);
        if (Vector512.IsHardwareAccelerated && width <= Vector512<T>.Count)
        {
            if (lastFrom + Vector512<T>.Count > source.Length || lastTo + Vector512<T>.Count > target.Length) return false;
            for (int run = 0; run < runs; run++)
            {
                Vector512.LoadUnsafe(ref sourceStart, (nuint)(from + run * sourceStride)).StoreUnsafe(ref targetStart, (nuint)(to + run * width));
            }
            return true;
        }
        if (Vector256.IsHardwareAccelerated && width <= Vector256<T>.Count)
        {
            if (lastFrom + Vector256<T>.Count > source.Length || lastTo + Vector256<T>.Count > target.Length) return false;
            for (int run = 0; run < runs; run++)
            {
                Vector256.LoadUnsafe(ref sourceStart, (nuint)(from + run * sourceStride)).StoreUnsafe(ref targetStart, (nuint)(to + run * width));
            }
            return true;
        }
        return false;
    }

    /// <summary>
    /// Copies a run shorter than a vector with one vector load and store where both spans have a vector's room (else value
    /// by value). The store runs on past the run: outputs are written in ascending order, so whatever it overwrites is
    /// written again afterwards, by the same thread.
    /// </summary>
    private static void CopyShortRun<T>(ReadOnlySpan<T> source, Span<T> target, int count) where T : unmanaged, INumber<T>
    {
        int room = Math.Min(source.Length, target.Length);
        if (Vector512.IsHardwareAccelerated && count <= Vector512<T>.Count && room >= Vector512<T>.Count) Vector512.Create(source).CopyTo(target);
        else if (Vector256.IsHardwareAccelerated && count <= Vector256<T>.Count && room >= Vector256<T>.Count) Vector256.Create(source).CopyTo(target);
        else source[..count].CopyTo(target);
    }

    /// <summary>
    /// Adds a run shorter than a vector into <paramref name="target"/> with one vector load, add and store where both spans
    /// have a vector's room (else value by value); the lanes past the run are stored back unchanged. LeNet-5's second
    /// convolution folds rows 10 wide, which element by element took 15 % of its training step.
    /// </summary>
    private static void AddShortRun<T>(ReadOnlySpan<T> source, Span<T> target, int count) where T : unmanaged, INumber<T>
    {
        int room = Math.Min(source.Length, target.Length);
        if (Vector512.IsHardwareAccelerated && count <= Vector512<T>.Count && room >= Vector512<T>.Count)
        {
            var old = Vector512.Create((ReadOnlySpan<T>)target);
            var inRun = Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));
            Vector512.ConditionalSelect(inRun, old + Vector512.Create(source), old).CopyTo(target);
        }
        else if (Vector256.IsHardwareAccelerated && count <= Vector256<T>.Count && room >= Vector256<T>.Count)
        {
            var old = Vector256.Create((ReadOnlySpan<T>)target);
            var inRun = Vector256.LessThan(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(count)));
            Vector256.ConditionalSelect(inRun, old + Vector256.Create(source), old).CopyTo(target);
        }
        else
        {
            for (int k = 0; k < count; k++) target[k] += source[k];
        }
    }

    /// <summary>
    /// Plane (n, c) of dx an input row at a time, when the stride is 1, an input row fits in one vector and the output is
    /// narrower than the input (LeNet-5's second convolution: rows 14 wide, 10 out): the gradient rows of every kernel tap
    /// that reads input row ih, each loaded shifted into place and masked to the columns it reaches, summed in a register
    /// in tap order (the same sums as <see cref="FoldPlane"/>) and stored once. Adding each tap's short run into the plane
    /// in turn reloads, in overlapping vectors, what the add before it has just stored. False where it does not apply.
    /// </summary>
    private static bool FoldPlaneByRows<T>(ReadOnlySpan<T> columns, in Conv2dGeometry g, Span<T> dx, int n, int c) where T : unmanaged, INumber<T>
    {
        int width = Vector512<T>.Count;
        if (!Vector512.IsHardwareAccelerated || g.StrideH != 1 || g.StrideW != 1 || g.W > width || g.OW == g.W) return false;
        ref T columnsStart = ref MemoryMarshal.GetReference(columns);
        Span<T> edge = stackalloc T[width];
        for (int ih = 0; ih < g.H; ih++)
        {
            var sum = Vector512<T>.Zero;
            for (int i = 0; i < g.KH; i++)
            {
                int oh = ih + g.PadTop - i * g.DilationH;
                if (oh < 0 || oh >= g.OH) continue;
                for (int j = 0; j < g.KW; j++)
                {
                    // Lane iw holds output column ow = iw + shift of the tap's gradient row; the others are masked off.
                    int shift = g.PadLeft - j * g.DilationW;
                    int at = ((c * g.KH + i) * g.KW + j) * g.NL + n * g.L + oh * g.OW + shift;
                    var reaches = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(-shift))) &
                        Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(g.OW - shift)));
                    Vector512<T> values;
                    if (at >= 0 && at + width <= columns.Length) values = Vector512.LoadUnsafe(ref columnsStart, (nuint)at);
                    else
                    {
                        // The first and last entries of the columns: no vector's room around them.
                        for (int lane = 0; lane < width; lane++) edge[lane] = (uint)(at + lane) < (uint)columns.Length ? columns[at + lane] : T.Zero;
                        values = Vector512.Create((ReadOnlySpan<T>)edge);
                    }
                    sum += Vector512.ConditionalSelect(reaches, values, Vector512<T>.Zero);
                }
            }
            // The store runs on into the next input row, written next by this thread (the last row of dx: lane by lane).
            int to = (n * g.C + c) * g.H * g.W + ih * g.W;
            if (to + width <= dx.Length) sum.StoreUnsafe(ref MemoryMarshal.GetReference(dx), (nuint)to);
            else for (int iw = 0; iw < g.W; iw++) dx[to + iw] = sum[iw];
        }
        return true;
    }

    /// <summary>Plane (n, c) of dx: every kernel tap's column entries for it, added tap by tap, row by row.</summary>
    private static void FoldPlane<T>(Span<T> columns, in Conv2dGeometry g, Span<T> dx, int n, int c) where T : unmanaged, INumber<T>
    {
        int l = g.L, nl = g.NL, plane = g.H * g.W;
        var target = dx.Slice((n * g.C + c) * plane, plane);
        target.Clear();
        for (int i = 0; i < g.KH; i++)
        {
            for (int j = 0; j < g.KW; j++)
            {
                var (first, last) = ValidColumns(g, j);
                if (first > last) continue;
                var row = columns.Slice(((c * g.KH + i) * g.KW + j) * nl, nl);
                if (ShiftedPlane.For(g, i, j) is { } block)
                {
                    block.Fold(row.Slice(n * l, l), target, g.W, first, last);
                    continue;
                }
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih = oh * g.StrideH - g.PadTop + i * g.DilationH;
                    if (ih < 0 || ih >= g.H) continue;
                    var gradient = row.Slice(n * l + oh * g.OW, g.OW);
                    int iw = first * g.StrideW - g.PadLeft + j * g.DilationW;
                    var destination = target.Slice(ih * g.W, g.W);
                    int count = last - first + 1;
                    if (g.StrideW == 1 && count >= Gemm.ShortRow)
                    {
                        var span = destination.Slice(iw, count);
                        TensorPrimitives.Add(span, gradient.Slice(first, count), span);
                        continue;
                    }
                    if (g.StrideW == 1)
                    {
                        AddShortRun(row[(n * l + oh * g.OW + first)..], target[(ih * g.W + iw)..], count);
                        continue;
                    }
                    for (int ow = first; ow <= last; ow++, iw += g.StrideW) destination[iw] += gradient[ow];
                }
            }
        }
    }

    /// <summary>
    /// With stride 1 and an output as wide as the input, one kernel tap sees the input plane shifted: output position
    /// (oh, ow) reads input (oh + Δh, ow + Δw). The output rows whose input row exists are then one contiguous run of the
    /// input, except for the |Δw| columns per row that fall off the row's end (and so read the neighbouring row instead
    /// of padding): a tap is one copy and a few zeros instead of a short copy per row (LeNet-5's rows are 28 and 10 wide,
    /// the Fashion net's 28 and 14).
    /// </summary>
    private readonly record struct ShiftedPlane(int FirstRow, int Rows, int Source)
    {
        /// <summary>Tap (i, j)'s block, or null when the geometry is not a shifted plane.</summary>
        public static ShiftedPlane? For(in Conv2dGeometry g, int i, int j)
        {
            if (g.StrideH != 1 || g.StrideW != 1 || g.OW != g.W) return null;
            int deltaH = i * g.DilationH - g.PadTop; // ih = oh + deltaH
            int firstRow = Math.Max(0, -deltaH), lastRow = Math.Min(g.OH - 1, g.H - 1 - deltaH);
            return new ShiftedPlane(firstRow, Math.Max(0, lastRow - firstRow + 1), (firstRow + deltaH) * g.W + j * g.DilationW - g.PadLeft);
        }

        /// <summary>The run: output offset, input offset and length, clipped to the plane (what is clipped falls off a row's end).</summary>
        private (int Output, int Input, int Count) Run(int width, int plane)
        {
            int output = FirstRow * width, input = Source, count = Rows * width;
            if (input < 0) (output, count, input) = (output - input, count + input, 0);
            return (output, input, Math.Min(count, plane - input));
        }

        public void Unfold<T>(ReadOnlySpan<T> input, Span<T> output, int width, int first, int last) where T : unmanaged, INumber<T>
        {
            var (to, from, count) = Run(width, input.Length);
            count = Math.Max(0, count);
            // Zeros for the padding rows and for the run's ends where it was clipped.
            output[..to].Clear();
            output[(to + count)..].Clear();
            input.Slice(from, count).CopyTo(output.Slice(to, count));
            ClearOffRowColumns(output, width, first, last);
        }

        /// <summary>Adds the tap's entries onto the input plane's gradient; its entries that were copies of padding become zero first.</summary>
        public void Fold<T>(Span<T> columns, Span<T> target, int width, int first, int last) where T : unmanaged, INumber<T>
        {
            ClearOffRowColumns(columns, width, first, last);
            var (from, to, count) = Run(width, target.Length);
            if (count <= 0) return;
            var span = target.Slice(to, count);
            TensorPrimitives.Add(span, columns.Slice(from, count), span);
        }

        private void ClearOffRowColumns<T>(Span<T> values, int width, int first, int last) where T : unmanaged, INumber<T>
        {
            for (int row = FirstRow; row < FirstRow + Rows; row++)
            {
                var line = values.Slice(row * width, width);
                for (int ow = 0; ow < first; ow++) line[ow] = T.Zero;
                for (int ow = last + 1; ow < width; ow++) line[ow] = T.Zero;
            }
        }
    }

    /// <summary>
    /// The output columns [first, last] whose kernel tap in column <paramref name="j"/> falls inside the input's width
    /// (the others see padding); first &gt; last when none does.
    /// </summary>
    private static (int First, int Last) ValidColumns(in Conv2dGeometry g, int j)
    {
        int offset = j * g.DilationW - g.PadLeft; // iw = ow·stride + offset
        int first = offset >= 0 ? 0 : (-offset + g.StrideW - 1) / g.StrideW;
        int span = g.W - 1 - offset;
        int last = span < 0 ? -1 : Math.Min(g.OW - 1, span / g.StrideW);
        return (Math.Min(first, g.OW), last);
    }

    /// <summary>
    /// <paramref name="x"/> viewed as [a, b, inner] into <paramref name="result"/> as [b, a, inner]: moves a convolution's
    /// output between the product's channel-major layout [O, N, L] and the tensor's [N, O, L], and its gradient back. With
    /// <paramref name="bias"/> (one value per index of a), each row gets its bias added on the way: one pass over the
    /// output instead of two.
    /// </summary>
    public static void SwapLeadingAxes<T>(ReadOnlySpan<T> x, int a, int b, int inner, Span<T> result, ReadOnlySpan<T> bias = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a; i++)
        {
            for (int k = 0; k < b; k++)
            {
                var source = x.Slice((i * b + k) * inner, inner);
                var target = result.Slice((k * a + i) * inner, inner);
                if (bias.IsEmpty) source.CopyTo(target);
                else TensorPrimitives.Add(source, bias[i], target);
            }
        }
    }
}

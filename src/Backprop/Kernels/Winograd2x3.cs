using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// The transforms of Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
/// Networks", 2015) for a 3×3 convolution of stride 1. Each 2×2 block of outputs (a tile) is Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d Bᵀᵀ)] A
/// with d the 4×4 patch of input under it, so a tile costs 16 multiplications per channel pair instead of 36. Summed over
/// channels, they are 16 matrix products, one per element ξ of the transformed 4×4 tile: M_ξ [O, tiles] = U_ξ [O, C] ·
/// V_ξ [C, tiles] (<see cref="WinogradConv2d"/>). The backward transforms are the forward ones' adjoints, so the gradients
/// are exactly those of the convolution computed.
/// <para>
/// Transformed values are stored [16][channel][column], column = example in the chunk · tiles per example + tile, tiles
/// numbered row by row. Vectors (<see cref="Vector{T}"/>: 8 floats with AVX2 or AVX-512, 4 with SSE, NEON or WebAssembly
/// SIMD) run along a row of tiles, whose input patches start two columns apart: the input (and
/// the input's gradient) is handled as its even and odd columns, so that each patch column is a plain vector load.
/// A vector store may run past its row of tiles into the places of the ones after it, which are written after it, but
/// never past the end of its element's [channel][column] block.
/// </para>
/// </summary>
internal static class Winograd2x3
{
    /// <summary>The elements of a transformed tile (4 × 4): the number of matrix products.</summary>
    public const int Elements = 16;

    /// <summary>Tiles down and across an output plane.</summary>
    public static (int Rows, int Columns) Tiles(in Conv2dGeometry g) => ((g.OH + 1) / 2, (g.OW + 1) / 2);

    /// <summary>Vectors per row of tiles.</summary>
    private static int Blocks<T>(int tileColumns) => (tileColumns + Vector<T>.Count - 1) / Vector<T>.Count;

    /// <summary>Values in one of the even/odd column planes of a padded input plane (rows of room for a shifted vector).</summary>
    public static int SplitPlaneSize<T>(in Conv2dGeometry g)
    {
        var (rows, columns) = Tiles(g);
        return (2 * rows + 2) * SplitWidth<T>(columns);
    }

    private static int SplitWidth<T>(int tileColumns) => (Blocks<T>(tileColumns) + 1) * Vector<T>.Count;

    /// <summary>
    /// Pairs transformed together: U's 16 rows are O·C apart (8 KB for 32→64 channels, all in one L1 set), so a block's
    /// values gather in a <see cref="Block{T}"/> and go out a line per row, not a value per row and pair.
    /// </summary>
    private const int PairBlock = 16;

    [InlineArray(Elements * PairBlock)]
    private struct Block<T>
    {
        private T first;
    }

    /// <summary>U_ξ[o, c] = (G w[o, c] Gᵀ)_ξ for weight [O, C, 3, 3], into <paramref name="u"/> [16, O, C].</summary>
    public static void TransformWeights<T>(ReadOnlySpan<T> weight, int pairs, Span<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var block = new Block<T>();
        ref T values = ref Unsafe.As<Block<T>, T>(ref block);
        for (int start = 0; start < pairs; start += PairBlock)
        {
            int count = Math.Min(PairBlock, pairs - start);
            for (int i = 0; i < count; i++)
            {
                var w = weight.Slice((start + i) * 9, 9);
                // G w, a column at a time: rows (a0, a1, a2, a3) of column 0, (b…) of column 1, (c…) of column 2.
                ApplyG(w[0], w[3], w[6], out var a0, out var a1, out var a2, out var a3);
                ApplyG(w[1], w[4], w[7], out var b0, out var b1, out var b2, out var b3);
                ApplyG(w[2], w[5], w[8], out var c0, out var c1, out var c2, out var c3);
                // Then (G w) Gᵀ, a row at a time.
                ref T row = ref Unsafe.Add(ref values, i);
                StoreG(a0, b0, c0, ref row, PairBlock);
                StoreG(a1, b1, c1, ref Unsafe.Add(ref row, 4 * PairBlock), PairBlock);
                StoreG(a2, b2, c2, ref Unsafe.Add(ref row, 8 * PairBlock), PairBlock);
                StoreG(a3, b3, c3, ref Unsafe.Add(ref row, 12 * PairBlock), PairBlock);
            }
            for (int e = 0; e < Elements; e++)
            {
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref values, e * PairBlock), count).CopyTo(u.Slice(e * pairs + start, count));
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="TransformWeights"/>: dw[o, c] = Gᵀ dU[o, c] G, from dU [16, O, C] into the weight's
    /// gradient [O, C, 3, 3].
    /// </summary>
    public static void WeightGradient<T>(ReadOnlySpan<T> du, int pairs, Span<T> dw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var block = new Block<T>();
        ref T values = ref Unsafe.As<Block<T>, T>(ref block);
        for (int start = 0; start < pairs; start += PairBlock)
        {
            int count = Math.Min(PairBlock, pairs - start);
            for (int e = 0; e < Elements; e++)
            {
                du.Slice(e * pairs + start, count).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref values, e * PairBlock), count));
            }
            for (int i = 0; i < count; i++)
            {
                // dU G, a row at a time, then Gᵀ (dU G) a column at a time.
                ref T row = ref Unsafe.Add(ref values, i);
                LoadGTransposed(ref row, PairBlock, out var a0, out var b0, out var c0);
                LoadGTransposed(ref Unsafe.Add(ref row, 4 * PairBlock), PairBlock, out var a1, out var b1, out var c1);
                LoadGTransposed(ref Unsafe.Add(ref row, 8 * PairBlock), PairBlock, out var a2, out var b2, out var c2);
                LoadGTransposed(ref Unsafe.Add(ref row, 12 * PairBlock), PairBlock, out var a3, out var b3, out var c3);
                var w = dw.Slice((start + i) * 9, 9);
                ApplyGTransposed(a0, a1, a2, a3, out w[0], out w[3], out w[6]);
                ApplyGTransposed(b0, b1, b2, b3, out w[1], out w[4], out w[7]);
                ApplyGTransposed(c0, c1, c2, c3, out w[2], out w[5], out w[8]);
            }
        }
    }

    /// <summary>G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] applied to (g0, g1, g2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyG<T>(T g0, T g1, T g2, out T u0, out T u1, out T u2, out T u3) where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), outer = g0 + g2;
        (u0, u1, u2, u3) = (g0, half * (outer + g1), half * (outer - g1), g2);
    }

    /// <summary>G applied to (g0, g1, g2), the four results stored <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreG<T>(T g0, T g1, T g2, ref T destination, int stride) where T : IFloatingPointIeee754<T>
    {
        ApplyG(g0, g1, g2, out destination, out Unsafe.Add(ref destination, stride), out Unsafe.Add(ref destination, 2 * stride),
            out Unsafe.Add(ref destination, 3 * stride));
    }

    /// <summary>Gᵀ applied to (u0, u1, u2, u3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyGTransposed<T>(T u0, T u1, T u2, T u3, out T g0, out T g1, out T g2) where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5), middle = half * (u1 + u2);
        (g0, g1, g2) = (u0 + middle, half * (u1 - u2), middle + u3);
    }

    /// <summary>Gᵀ applied to the four values <paramref name="stride"/> apart from <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadGTransposed<T>(ref T source, int stride, out T g0, out T g1, out T g2) where T : IFloatingPointIeee754<T> =>
        ApplyGTransposed(source, Unsafe.Add(ref source, stride), Unsafe.Add(ref source, 2 * stride), Unsafe.Add(ref source, 3 * stride), out g0, out g1, out g2);

    /// <summary>
    /// V_ξ = Bᵀ d B for every tile of one input <paramref name="plane"/> [H, W], element ξ at
    /// <c>v[ξ·elementStride + column + tile]</c>. <paramref name="split"/> holds two <see cref="SplitPlaneSize"/> planes
    /// and must be cleared before a chunk's first plane (cells outside the input are never written, so stay zero).
    /// </summary>
    public static void InputPlane<T>(ReadOnlySpan<T> plane, in Conv2dGeometry g, Span<T> split, Span<T> v, int elementStride, int column)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tileRows, tileColumns) = Tiles(g);
        int width = SplitWidth<T>(tileColumns), size = SplitPlaneSize<T>(g), lanes = Vector<T>.Count;
        SplitColumns(plane, g, split[..size], split.Slice(size, size), width);
        ref T even = ref MemoryMarshal.GetReference(split);
        ref T odd = ref Unsafe.Add(ref even, size);
        ref T target = ref MemoryMarshal.GetReference(v);
        nuint stride = (nuint)elementStride;
        for (int th = 0; th < tileRows; th++)
        {
            for (int j = 0; j < tileColumns; j += lanes)
            {
                nuint at = (nuint)(2 * th * width + j), row = (nuint)width;
                // Down the patch's columns: the even columns at j and j + 1 are patch columns 0 and 2, the odd ones 1 and 3.
                ApplyBTransposed(Load(ref even, at), Load(ref even, at + row), Load(ref even, at + 2 * row), Load(ref even, at + 3 * row),
                    out var e0, out var e1, out var e2, out var e3);
                ApplyBTransposed(Load(ref even, at + 1), Load(ref even, at + row + 1), Load(ref even, at + 2 * row + 1), Load(ref even, at + 3 * row + 1),
                    out var f0, out var f1, out var f2, out var f3);
                ApplyBTransposed(Load(ref odd, at), Load(ref odd, at + row), Load(ref odd, at + 2 * row), Load(ref odd, at + 3 * row),
                    out var o0, out var o1, out var o2, out var o3);
                ApplyBTransposed(Load(ref odd, at + 1), Load(ref odd, at + row + 1), Load(ref odd, at + 2 * row + 1), Load(ref odd, at + 3 * row + 1),
                    out var p0, out var p1, out var p2, out var p3);
                // Then along each row of the patch: (column 0, 1, 2, 3) = (e, o, f, p).
                int position = column + th * tileColumns + j, valid = Math.Min(lanes, elementStride - position);
                ref T destination = ref Unsafe.Add(ref target, position);
                StoreBTransposed(e0, o0, f0, p0, ref destination, stride, valid);
                StoreBTransposed(e1, o1, f1, p1, ref Unsafe.Add(ref destination, 4 * stride), stride, valid);
                StoreBTransposed(e2, o2, f2, p2, ref Unsafe.Add(ref destination, 8 * stride), stride, valid);
                StoreBTransposed(e3, o3, f3, p3, ref Unsafe.Add(ref destination, 12 * stride), stride, valid);
            }
        }
    }

    /// <summary>
    /// One output plane [OH, OW] from M [16][O][columns]: each tile's Aᵀ m A plus <paramref name="bias"/>, reading element
    /// ξ of the plane's tiles at <c>m[ξ·elementStride + column + tile]</c>.
    /// </summary>
    public static void OutputPlane<T>(ReadOnlySpan<T> m, int elementStride, int column, in Conv2dGeometry g, T bias, Span<T> plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tileRows, tileColumns) = Tiles(g);
        int lanes = Vector<T>.Count;
        ref T source = ref MemoryMarshal.GetReference(m);
        nuint stride = (nuint)elementStride;
        var shift = Vector.Create(bias);
        // A row of tiles in one vector: a row of outputs may be stored a whole vector pair wide, running into the rows after
        // it, which are written after it, as long as the store stays inside the plane.
        bool oneVector = tileColumns <= lanes;
        for (int th = 0; th < tileRows; th++)
        {
            for (int j = 0; j < tileColumns; j += lanes)
            {
                ref T tiles = ref Unsafe.Add(ref source, column + th * tileColumns + j);
                // Along each row of the tile (Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]), then down its columns.
                ApplyATransposed(ref tiles, stride, out var r00, out var r01);
                ApplyATransposed(ref Unsafe.Add(ref tiles, 4 * stride), stride, out var r10, out var r11);
                ApplyATransposed(ref Unsafe.Add(ref tiles, 8 * stride), stride, out var r20, out var r21);
                ApplyATransposed(ref Unsafe.Add(ref tiles, 12 * stride), stride, out var r30, out var r31);
                int count = Math.Min(2 * lanes, g.OW - 2 * j), top = 2 * th * g.OW + 2 * j, bottom = top + g.OW;
                ref T row = ref MemoryMarshal.GetReference(plane.Slice(top, count));
                StoreInterleaved(r00 + r10 + r20 + shift, r01 + r11 + r21 + shift, ref row, count, oneVector && top + 2 * lanes <= plane.Length);
                if (2 * th + 1 < g.OH)
                {
                    StoreInterleaved(r10 - r20 - r30 + shift, r11 - r21 - r31 + shift, ref Unsafe.Add(ref row, g.OW), count, oneVector && bottom + 2 * lanes <= plane.Length);
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> outputs taken in turn from <paramref name="evens"/> and <paramref name="odds"/>; when
    /// <paramref name="mayOverrun"/>, float32 goes as two whole vectors (AVX's in-lane unpack, then the halves put in order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved<T>(Vector<T> evens, Vector<T> odds, ref T destination, int count, bool mayOverrun) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && Avx.IsSupported && Vector<T>.Count == Vector256<T>.Count && (mayOverrun || count == 2 * Vector<T>.Count))
        {
            var low = Avx.UnpackLow(evens.AsVector256().AsSingle(), odds.AsVector256().AsSingle());   // e0 o0 e1 o1 | e4 o4 e5 o5
            var high = Avx.UnpackHigh(evens.AsVector256().AsSingle(), odds.AsVector256().AsSingle()); // e2 o2 e3 o3 | e6 o6 e7 o7
            ref float target = ref Unsafe.As<T, float>(ref destination);
            Avx.Permute2x128(low, high, 0x20).StoreUnsafe(ref target);
            Avx.Permute2x128(low, high, 0x31).StoreUnsafe(ref target, (nuint)Vector256<float>.Count);
            return;
        }
        int lanes = Vector<T>.Count;
        Span<T> pairs = stackalloc T[2 * lanes];
        evens.StoreUnsafe(ref pairs[0]);
        odds.StoreUnsafe(ref pairs[lanes]);
        Interleave(ref pairs[0], ref pairs[lanes], count, ref destination);
    }

    /// <summary>
    /// The adjoint of <see cref="OutputPlane"/>: from one plane of the output's gradient [OH, OW], each tile's A dy Aᵀ into
    /// <c>dm[ξ·elementStride + column + tile]</c>. <paramref name="split"/> holds the gradient's even and odd columns,
    /// <see cref="SplitPlaneSize"/> each, and must be cleared before a chunk's first plane.
    /// </summary>
    public static void OutputGradientPlane<T>(ReadOnlySpan<T> plane, in Conv2dGeometry g, Span<T> split, Span<T> dm, int elementStride, int column)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tileRows, tileColumns) = Tiles(g);
        int width = SplitWidth<T>(tileColumns), size = SplitPlaneSize<T>(g), lanes = Vector<T>.Count;
        ref T evenRef = ref MemoryMarshal.GetReference(split);
        ref T oddRef = ref Unsafe.Add(ref evenRef, size);
        for (int r = 0; r < g.OH; r++)
        {
            Deinterleave(ref MemoryMarshal.GetReference(plane.Slice(r * g.OW, g.OW)), g.OW, ref Unsafe.Add(ref evenRef, r * width), ref Unsafe.Add(ref oddRef, r * width),
                wholeVectors: g.OW <= 2 * lanes);
        }
        ref T target = ref MemoryMarshal.GetReference(dm);
        nuint stride = (nuint)elementStride;
        for (int th = 0; th < tileRows; th++)
        {
            for (int j = 0; j < tileColumns; j += lanes)
            {
                nuint at = (nuint)(2 * th * width + j), row = (nuint)width;
                // Down the tile's columns (A = [[1, 0], [1, 1], [1, −1], [0, −1]]), then along each transformed row.
                ApplyA(Load(ref evenRef, at), Load(ref evenRef, at + row), out var e0, out var e1, out var e2, out var e3);
                ApplyA(Load(ref oddRef, at), Load(ref oddRef, at + row), out var o0, out var o1, out var o2, out var o3);
                int position = column + th * tileColumns + j, valid = Math.Min(lanes, elementStride - position);
                ref T destination = ref Unsafe.Add(ref target, position);
                StoreA(e0, o0, ref destination, stride, valid);
                StoreA(e1, o1, ref Unsafe.Add(ref destination, 4 * stride), stride, valid);
                StoreA(e2, o2, ref Unsafe.Add(ref destination, 8 * stride), stride, valid);
                StoreA(e3, o3, ref Unsafe.Add(ref destination, 12 * stride), stride, valid);
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="InputPlane"/>: one input plane's gradient [H, W] from dV, its tiles' B dv Bᵀ added up
    /// where patches overlap. <paramref name="split"/> (two <see cref="SplitPlaneSize"/> planes) is working space.
    /// </summary>
    public static void InputGradientPlane<T>(ReadOnlySpan<T> dv, int elementStride, int column, in Conv2dGeometry g, Span<T> split, Span<T> plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tileRows, tileColumns) = Tiles(g);
        int width = SplitWidth<T>(tileColumns), size = SplitPlaneSize<T>(g), lanes = Vector<T>.Count;
        split[..(2 * size)].Clear();
        ref T even = ref MemoryMarshal.GetReference(split);
        ref T odd = ref Unsafe.Add(ref even, size);
        ref T source = ref MemoryMarshal.GetReference(dv);
        nuint stride = (nuint)elementStride, row = (nuint)width;
        for (int j = 0; j < tileColumns; j += lanes)
        {
            // Lanes past the row of tiles hold the next row's values: they must add nothing.
            var inside = Vector.LessThan(Vector<T>.Indices, Vector.Create(T.CreateTruncating(tileColumns - j)));
            for (int th = 0; th < tileRows; th++)
            {
                ref T tiles = ref Unsafe.Add(ref source, column + th * tileColumns + j);
                // Along each transformed row: (patch column 0, 1, 2, 3) = (e, o, f, p).
                ApplyBAdjoint(ref tiles, stride, inside, out var e0, out var o0, out var f0, out var p0);
                ApplyBAdjoint(ref Unsafe.Add(ref tiles, 4 * stride), stride, inside, out var e1, out var o1, out var f1, out var p1);
                ApplyBAdjoint(ref Unsafe.Add(ref tiles, 8 * stride), stride, inside, out var e2, out var o2, out var f2, out var p2);
                ApplyBAdjoint(ref Unsafe.Add(ref tiles, 12 * stride), stride, inside, out var e3, out var o3, out var f3, out var p3);
                // Then down the patch's columns, added onto the patch's rows; the even columns at j and j + 1 are patch
                // columns 0 and 2, the odd ones 1 and 3.
                nuint at = (nuint)(2 * th * width + j);
                AddBAdjoint(e0, e1, e2, e3, ref Unsafe.Add(ref even, at), row);
                AddBAdjoint(f0, f1, f2, f3, ref Unsafe.Add(ref even, at + 1), row);
                AddBAdjoint(o0, o1, o2, o3, ref Unsafe.Add(ref odd, at), row);
                AddBAdjoint(p0, p1, p2, p3, ref Unsafe.Add(ref odd, at + 1), row);
            }
        }
        // Input column x is padded column x + PadLeft: with PadLeft = 2k, x = 2i is even column i + k and x = 2i + 1 odd
        // column i + k; with PadLeft = 2k + 1, x = 2i is odd column i + k and x = 2i + 1 even column i + k + 1.
        int k = g.PadLeft / 2;
        ref T first = ref g.PadLeft % 2 == 0 ? ref Unsafe.Add(ref even, k) : ref Unsafe.Add(ref odd, k);
        ref T second = ref g.PadLeft % 2 == 0 ? ref Unsafe.Add(ref odd, k) : ref Unsafe.Add(ref even, k + 1);
        for (int y = 0; y < g.H; y++)
        {
            int r = (y + g.PadTop) * width;
            Interleave(ref Unsafe.Add(ref first, r), ref Unsafe.Add(ref second, r), g.W, ref MemoryMarshal.GetReference(plane.Slice(y * g.W, g.W)));
        }
    }

    /// <summary>
    /// The plane's even and odd columns, each padded as the convolution pads them, rows <paramref name="width"/> apart
    /// (the inverse of the crop in <see cref="InputGradientPlane"/>); cells in the padding are left as they are.
    /// </summary>
    private static void SplitColumns<T>(ReadOnlySpan<T> plane, in Conv2dGeometry g, Span<T> even, Span<T> odd, int width)
    {
        int k = g.PadLeft / 2;
        ref T first = ref g.PadLeft % 2 == 0 ? ref Unsafe.Add(ref MemoryMarshal.GetReference(even), k) : ref Unsafe.Add(ref MemoryMarshal.GetReference(odd), k);
        ref T second = ref g.PadLeft % 2 == 0 ? ref Unsafe.Add(ref MemoryMarshal.GetReference(odd), k) : ref Unsafe.Add(ref MemoryMarshal.GetReference(even), k + 1);
        int rows = Math.Min(2 * Tiles(g).Rows + 2, g.H + g.PadTop), lanes = Vector<T>.Count;
        // Cells after a row's values are padding (zero) or past what any tile reads.
        bool wholeVectors = g.W <= 2 * lanes && k + 1 + lanes <= width;
        for (int r = g.PadTop; r < rows; r++)
        {
            Deinterleave(ref MemoryMarshal.GetReference(plane.Slice((r - g.PadTop) * g.W, g.W)), g.W, ref Unsafe.Add(ref first, r * width), ref Unsafe.Add(ref second, r * width),
                wholeVectors);
        }
    }

    /// <summary>
    /// Values 0, 2, 4, … of the <paramref name="count"/> at <paramref name="source"/> to <paramref name="evens"/>, 1, 3, 5, …
    /// to <paramref name="odds"/>. With <paramref name="wholeVectors"/> (the caller has a vector of room at each and wants
    /// zeros after the values), a float32 row of up to two vectors goes as two masked loads, which read nothing past the
    /// row, and four shuffles, instead of element by element.
    /// </summary>
    private static unsafe void Deinterleave<T>(ref T source, int count, ref T evens, ref T odds, bool wholeVectors)
    {
        if (typeof(T) == typeof(float) && Avx2.IsSupported && Vector<T>.Count == Vector256<T>.Count && wholeVectors)
        {
            int lanes = Vector256<float>.Count;
            var indices = Vector256<int>.Indices;
            fixed (float* row = &Unsafe.As<T, float>(ref source))
            {
                var low = Avx.MaskLoad(row, Vector256.LessThan(indices, Vector256.Create(count)).AsSingle());
                var high = Avx.MaskLoad(row + lanes, Vector256.LessThan(indices, Vector256.Create(count - lanes)).AsSingle());
                // In each 128-bit half (low 0, 2, high 0, 2) and (low 1, 3, high 1, 3), then the halves' middle pairs swapped.
                var even = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                var odd = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
                even.StoreUnsafe(ref Unsafe.As<T, float>(ref evens));
                odd.StoreUnsafe(ref Unsafe.As<T, float>(ref odds));
            }
            return;
        }
        int i = 0;
        for (; i + 1 < count; i += 2)
        {
            Unsafe.Add(ref evens, i / 2) = Unsafe.Add(ref source, i);
            Unsafe.Add(ref odds, i / 2) = Unsafe.Add(ref source, i + 1);
        }
        if (i < count) Unsafe.Add(ref evens, i / 2) = Unsafe.Add(ref source, i);
    }

    /// <summary>The inverse of <see cref="Deinterleave"/>: <paramref name="count"/> values taken in turn from <paramref name="evens"/> and <paramref name="odds"/>.</summary>
    private static void Interleave<T>(ref T evens, ref T odds, int count, ref T destination)
    {
        int i = 0;
        for (; i + 1 < count; i += 2)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref evens, i / 2);
            Unsafe.Add(ref destination, i + 1) = Unsafe.Add(ref odds, i / 2);
        }
        if (i < count) Unsafe.Add(ref destination, i) = Unsafe.Add(ref evens, i / 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

    /// <summary>Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]] applied to (d0, d1, d2, d3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyBTransposed<T>(Vector<T> d0, Vector<T> d1, Vector<T> d2, Vector<T> d3,
        out Vector<T> v0, out Vector<T> v1, out Vector<T> v2, out Vector<T> v3)
    {
        v0 = d0 - d2;
        v1 = d1 + d2;
        v2 = d2 - d1;
        v3 = d1 - d3;
    }

    /// <summary>Bᵀ applied to (d0, d1, d2, d3), the four results stored <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBTransposed<T>(Vector<T> d0, Vector<T> d1, Vector<T> d2, Vector<T> d3, ref T destination, nuint stride, int valid)
    {
        ApplyBTransposed(d0, d1, d2, d3, out var v0, out var v1, out var v2, out var v3);
        Store(v0, ref destination, valid);
        Store(v1, ref Unsafe.Add(ref destination, stride), valid);
        Store(v2, ref Unsafe.Add(ref destination, 2 * stride), valid);
        Store(v3, ref Unsafe.Add(ref destination, 3 * stride), valid);
    }

    /// <summary>
    /// B = (Bᵀ)ᵀ applied to the four values <paramref name="stride"/> apart from <paramref name="source"/>, lanes outside
    /// <paramref name="inside"/> cleared: (v0, v1, v2, v3) ↦ (v0, v1 − v2 + v3, v1 + v2 − v0, −v3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyBAdjoint<T>(ref T source, nuint stride, Vector<T> inside,
        out Vector<T> d0, out Vector<T> d1, out Vector<T> d2, out Vector<T> d3)
    {
        var v0 = Load(ref source, 0) & inside;
        var v1 = Load(ref source, stride) & inside;
        var v2 = Load(ref source, 2 * stride) & inside;
        var v3 = Load(ref source, 3 * stride) & inside;
        d0 = v0;
        d1 = v1 - v2 + v3;
        d2 = v1 + v2 - v0;
        d3 = -v3;
    }

    /// <summary>B applied to (v0, v1, v2, v3), added onto the four rows <paramref name="row"/> apart from <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBAdjoint<T>(Vector<T> v0, Vector<T> v1, Vector<T> v2, Vector<T> v3, ref T destination, nuint row)
    {
        AddTo(v0, ref destination);
        AddTo(v1 - v2 + v3, ref Unsafe.Add(ref destination, row));
        AddTo(v1 + v2 - v0, ref Unsafe.Add(ref destination, 2 * row));
        AddTo(-v3, ref Unsafe.Add(ref destination, 3 * row));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T>(Vector<T> value, ref T destination) => (Vector.LoadUnsafe(ref destination) + value).StoreUnsafe(ref destination);

    /// <summary>Aᵀ applied to the four values <paramref name="stride"/> apart from <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyATransposed<T>(ref T source, nuint stride, out Vector<T> y0, out Vector<T> y1)
    {
        var m0 = Load(ref source, 0);
        var m1 = Load(ref source, stride);
        var m2 = Load(ref source, 2 * stride);
        var m3 = Load(ref source, 3 * stride);
        y0 = m0 + m1 + m2;
        y1 = m1 - m2 - m3;
    }

    /// <summary>A = [[1, 0], [1, 1], [1, −1], [0, −1]] applied to (y0, y1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyA<T>(Vector<T> y0, Vector<T> y1, out Vector<T> m0, out Vector<T> m1, out Vector<T> m2, out Vector<T> m3)
    {
        m0 = y0;
        m1 = y0 + y1;
        m2 = y0 - y1;
        m3 = -y1;
    }

    /// <summary>A applied to (y0, y1), the four results stored <paramref name="stride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreA<T>(Vector<T> y0, Vector<T> y1, ref T destination, nuint stride, int valid)
    {
        ApplyA(y0, y1, out var m0, out var m1, out var m2, out var m3);
        Store(m0, ref destination, valid);
        Store(m1, ref Unsafe.Add(ref destination, stride), valid);
        Store(m2, ref Unsafe.Add(ref destination, 2 * stride), valid);
        Store(m3, ref Unsafe.Add(ref destination, 3 * stride), valid);
    }

    /// <summary>The first <paramref name="valid"/> lanes of <paramref name="value"/>: all of them but at the end of a chunk's buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> value, ref T destination, int valid)
    {
        if (valid == Vector<T>.Count)
        {
            value.StoreUnsafe(ref destination);
            return;
        }
        for (int lane = 0; lane < valid; lane++) Unsafe.Add(ref destination, lane) = value.GetElement(lane);
    }
}

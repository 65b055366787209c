using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// Runs a binary kernel over two row-major operands broadcast to a common shape. Dimensions are merged where
/// memory allows, so the innermost call covers as long a run as possible (all of it when the shapes are equal).
/// </summary>
internal static class BroadcastLoop
{
    public static void Run<T, TKernel>(ReadOnlySpan<T> a, Shape aShape, ReadOnlySpan<T> b, Shape bShape, Span<T> d, Shape shape, TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IBinaryKernel
    {
        if (d.IsEmpty) return;
        if (a.Length == d.Length && b.Length == d.Length) { kernel.Apply(a, b, d); return; }
        if (b.Length == 1 && a.Length == d.Length) { kernel.Apply(a, b[0], d); return; }
        if (a.Length == 1 && b.Length == d.Length) { kernel.Apply(a[0], b, d); return; }

        var (sizes, aStrides, bStrides) = MergedLayout(aShape, bShape, shape);
        int innermost = sizes.Length - 1;
        int n = sizes[innermost];
        int aStep = aStrides[innermost], bStep = bStrides[innermost];
        int outerCount = d.Length / n;
        Span<int> counter = stackalloc int[sizes.Length];
        int aOffset = 0, bOffset = 0;
        for (int run = 0; run < outerCount; run++)
        {
            var target = d.Slice(run * n, n);
            if (aStep == 1 && bStep == 1) kernel.Apply(a.Slice(aOffset, n), b.Slice(bOffset, n), target);
            else if (aStep == 1) kernel.Apply(a.Slice(aOffset, n), b[bOffset], target);
            else kernel.Apply(a[aOffset], b.Slice(bOffset, n), target);

            // Odometer over the outer dimensions, moving each operand by its stride (0 where it is broadcast).
            for (int axis = innermost - 1; axis >= 0; axis--)
            {
                aOffset += aStrides[axis];
                bOffset += bStrides[axis];
                if (++counter[axis] < sizes[axis]) break;
                aOffset -= aStrides[axis] * sizes[axis];
                bOffset -= bStrides[axis] * sizes[axis];
                counter[axis] = 0;
            }
        }
    }

    /// <summary>
    /// The output's dimensions with each operand's stride (0 where broadcast), size-1 dimensions dropped and
    /// neighbours merged when both operands step through them as one. The innermost strides end up 0 or 1.
    /// </summary>
    private static (int[] Sizes, int[] AStrides, int[] BStrides) MergedLayout(Shape aShape, Shape bShape, Shape shape)
    {
        var aFull = aShape.BroadcastStrides(shape);
        var bFull = bShape.BroadcastStrides(shape);
        var sizes = new List<int>();
        var aStrides = new List<int>();
        var bStrides = new List<int>();
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            int size = shape[axis];
            if (size == 1) continue;
            int last = sizes.Count - 1;
            if (last >= 0 && aFull[axis] == aStrides[last] * sizes[last] && bFull[axis] == bStrides[last] * sizes[last])
            {
                sizes[last] *= size;
                continue;
            }
            sizes.Add(size);
            aStrides.Add(aFull[axis]);
            bStrides.Add(bFull[axis]);
        }
        sizes.Reverse();
        aStrides.Reverse();
        bStrides.Reverse();
        return ([.. sizes], [.. aStrides], [.. bStrides]);
    }
}

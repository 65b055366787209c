using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Sums, means and maxima over all elements or along one axis, optionally keeping the reduced axis as size 1.</summary>
public static class Reductions
{
    /// <summary>The sum of all elements, a scalar. d/dx = 1 for every element: the gradient is broadcast back.</summary>
    public static Tensor Sum(this Tensor x) => x.Reshape(x.Count).Sum(0);

    /// <summary>The sum along <paramref name="axis"/>. d/dx = 1: the gradient is repeated along the axis.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDims = false)
    {
        var (y, keptShape) = ReduceAlong(x, axis, "sum", new Reduce.Sum());
        var result = keepDims ? y.ReshapeTo(keptShape) : y;
        return Graph.Record("sum", result, [x], (x, keptShape), static (s, g) => [g.ReshapeTo(s.keptShape).BroadcastTo(s.x.Shape)]);
    }

    /// <summary>The mean of all elements: the sum divided by the count.</summary>
    public static Tensor Mean(this Tensor x) => x.Sum() / x.Count;

    /// <summary>The mean along <paramref name="axis"/>.</summary>
    public static Tensor Mean(this Tensor x, int axis, bool keepDims = false) =>
        x.Sum(axis, keepDims) / x.Shape[axis];

    /// <summary>The largest element, a scalar. Its gradient is shared equally among tied maxima (PyTorch's <c>amax</c> rule).</summary>
    public static Tensor Max(this Tensor x) => x.Reshape(x.Count).Max(0);

    /// <summary>
    /// The largest value along <paramref name="axis"/>. d/dx is 1 at the maximum and 0 elsewhere; tied maxima share it equally
    /// (PyTorch's <c>amax</c> rule), so the gradient check holds everywhere the maximum is unique.
    /// </summary>
    public static Tensor Max(this Tensor x, int axis, bool keepDims = false)
    {
        if (x.Shape[x.Shape.NormalizeAxis(axis, "max")] == 0) throw new ArgumentException($"max: axis {axis} of shape {x.Shape} is empty");
        var (y, keptShape) = ReduceAlong(x, axis, "max", new Reduce.Max());
        var result = keepDims ? y.ReshapeTo(keptShape) : y;
        return Graph.Record("max", result, [x], (x, y, keptShape, axis), static (s, g) =>
        {
            var winners = KernelRunner.Zip(s.x, s.y.ReshapeTo(s.keptShape), new ArithmeticKernels.EqualMask(), "max");
            return [g.ReshapeTo(s.keptShape) * winners / winners.Sum(s.axis, keepDims: true)];
        });
    }

    /// <summary>
    /// The position of the largest element of the tensor read in row-major order, as a 0-d int64 tensor (PyTorch's
    /// <c>argmax()</c>): the first one among ties, the first NaN if there is one. Not differentiable: an index is a constant.
    /// </summary>
    public static Tensor Argmax(this Tensor x) => x.Reshape(x.Count).Argmax(0);

    /// <summary>
    /// The position along <paramref name="axis"/> of the largest value, as int64 (PyTorch's <c>argmax(dim, keepdim)</c>):
    /// the first one among ties, the first NaN if there is one. Not differentiable: an index is a constant.
    /// </summary>
    public static Tensor Argmax(this Tensor x, int axis, bool keepDims = false)
    {
        int a = x.Shape.NormalizeAxis(axis, "argmax");
        if (x.Shape[a] == 0) throw new ArgumentException($"argmax: axis {axis} of shape {x.Shape} is empty");
        var dims = x.Shape.ToArray();
        var (outer, inner) = x.Shape.AroundAxis(a);
        int n = dims[a];
        dims[a] = 1;
        var y = Tensor.Empty(keepDims ? new Shape(dims) : new Shape([.. dims[..a], .. dims[(a + 1)..]]), DType.Int64);
        switch (x.DType)
        {
            case DType.Float32: Reduce.ArgMax<float>(x.Span<float>(), outer, n, inner, y.Span<long>()); break;
            case DType.Float64: Reduce.ArgMax<double>(x.Span<double>(), outer, n, inner, y.Span<long>()); break;
            default: Reduce.ArgMax<long>(x.Span<long>(), outer, n, inner, y.Span<long>()); break;
        }
        return y;
    }

    /// <summary>Runs an axis kernel on x viewed as [outer, n, inner]; returns the result without the axis, and the shape with it kept as 1.</summary>
    private static (Tensor Result, Shape KeptShape) ReduceAlong<TKernel>(Tensor x, int axis, string op, TKernel kernel)
        where TKernel : struct, Reduce.IAxisKernel
    {
        x.RequireFloatingPoint(op);
        int a = x.Shape.NormalizeAxis(axis, op);
        var dims = x.Shape.ToArray();
        var (outer, inner) = x.Shape.AroundAxis(a);
        int n = dims[a];
        dims[a] = 1;
        var keptShape = new Shape(dims);
        var y = Tensor.Empty(new Shape([.. dims[..a], .. dims[(a + 1)..]]), x.DType);
        if (x.DType == DType.Float32) kernel.Apply<float>(x.Span<float>(), outer, n, inner, y.Span<float>());
        else kernel.Apply<double>(x.Span<double>(), outer, n, inner, y.Span<double>());
        return (y, keptShape);
    }
}

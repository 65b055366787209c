using Backprop.Autograd;

namespace Backprop;

/// <summary>Expanding a tensor to a broadcast shape, and its adjoint: summing a broadcast gradient back down.</summary>
public static class Broadcasting
{
    /// <summary>
    /// The tensor repeated along new leading axes and along its size-1 axes to fill <paramref name="shape"/> (PyTorch's
    /// <c>broadcast_to</c>, copied). d/dx sums the gradient back: <see cref="SumTo"/>.
    /// </summary>
    public static Tensor BroadcastTo(this Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        if (!x.Shape.BroadcastsTo(shape))
        {
            throw new ArgumentException($"broadcast_to: shape {x.Shape} cannot be broadcast to {shape}");
        }
        var y = Tensor.Empty(shape, x.DType);
        var strides = x.Shape.BroadcastStrides(shape);
        KernelRunner.StridedCopy(x, shape.Dims, strides, y);
        return Graph.Record("broadcast_to", y, [x], x.Shape, static (shape, g) => [g.SumTo(shape)]);
    }

    /// <summary>
    /// Sums <paramref name="x"/> over the axes along which <paramref name="shape"/> was broadcast to x's shape, giving
    /// <paramref name="shape"/>: the one place where backward undoes broadcasting. A composite of sums, so no rule of its own.
    /// </summary>
    public static Tensor SumTo(this Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        if (!shape.BroadcastsTo(x.Shape))
        {
            throw new ArgumentException($"sum_to: shape {x.Shape} cannot be summed to {shape}");
        }
        var result = x;
        for (int lead = x.Rank - shape.Rank; lead > 0; lead--) result = result.Sum(0);
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            if (shape[axis] == 1 && result.Shape[axis] != 1) result = result.Sum(axis, keepDims: true);
        }
        return result;
    }
}

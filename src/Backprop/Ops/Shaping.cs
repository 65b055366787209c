using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Reshaping, slicing and joining. Their derivatives only move the gradient back to where each value came from.</summary>
public static class Shaping
{
    /// <summary>
    /// The same values in a new shape with the same element count; one dimension may be −1 and is then inferred.
    /// Shares the storage (tensors are always contiguous). The gradient is reshaped back.
    /// </summary>
    public static Tensor Reshape(this Tensor x, params int[] shape) => x.ReshapeTo(InferShape(x.Shape, shape));

    /// <summary>
    /// <see cref="Reshape"/> to a shape already known to hold x's element count: the shape object is used as it is, so
    /// backward, reshaping the gradient to the input's shape, builds none.
    /// </summary>
    internal static Tensor ReshapeTo(this Tensor x, Shape target) =>
        Graph.Record("reshape", new Tensor(target, x.Storage, viewOf: x), [x], x.Shape, static (shape, g) => [g.ReshapeTo(shape)]);

    /// <summary>Axes <paramref name="startAxis"/> through <paramref name="endAxis"/> merged into one (a 0-d tensor becomes 1-D).</summary>
    public static Tensor Flatten(this Tensor x, int startAxis = 0, int endAxis = -1)
    {
        if (x.Rank == 0) return x.Reshape(1);
        int start = x.Shape.NormalizeAxis(startAxis, "flatten");
        int end = x.Shape.NormalizeAxis(endAxis, "flatten");
        if (start > end) throw new ArgumentException($"flatten: start axis {startAxis} comes after end axis {endAxis} in shape {x.Shape}");
        var dims = x.Shape.Dims;
        Span<int> flattened = stackalloc int[x.Rank - (end - start)];
        dims[..start].CopyTo(flattened);
        int merged = 1;
        for (int i = start; i <= end; i++) merged *= dims[i];
        flattened[start] = merged;
        dims[(end + 1)..].CopyTo(flattened[(start + 1)..]);
        return x.ReshapeTo(new Shape(flattened));
    }

    /// <summary>The tensor without axis <paramref name="axis"/>, which must have size 1.</summary>
    public static Tensor Squeeze(this Tensor x, int axis)
    {
        int a = x.Shape.NormalizeAxis(axis, "squeeze");
        if (x.Shape[a] != 1) throw new ArgumentException($"squeeze: axis {axis} of shape {x.Shape} has size {x.Shape[a]}, not 1");
        var dims = x.Shape.ToArray();
        return x.Reshape([.. dims[..a], .. dims[(a + 1)..]]);
    }

    /// <summary>The tensor with a new axis of size 1 at <paramref name="axis"/> (negative counts from the end of the result).</summary>
    public static Tensor Unsqueeze(this Tensor x, int axis)
    {
        int a = axis < 0 ? axis + x.Rank + 1 : axis;
        if (a < 0 || a > x.Rank) throw new ArgumentException($"unsqueeze: axis {axis} is out of range for shape {x.Shape}");
        var dims = x.Shape.ToArray();
        return x.Reshape([.. dims[..a], 1, .. dims[a..]]);
    }

    /// <summary>
    /// Elements <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) along <paramref name="axis"/>, copied;
    /// negative positions count from the end. The gradient lands in those positions, zero elsewhere.
    /// </summary>
    public static Tensor Slice(this Tensor x, int axis, int start, int end)
    {
        int a = x.Shape.NormalizeAxis(axis, "slice");
        int size = x.Shape[a];
        int from = start < 0 ? start + size : start;
        int to = end < 0 ? end + size : end;
        if (from < 0 || to > size || from > to)
        {
            throw new ArgumentException($"slice: range [{start},{end}) is out of bounds for axis {axis} of size {size} in shape {x.Shape}");
        }
        var (outer, inner) = x.Shape.AroundAxis(a);
        var dims = x.Shape.ToArray();
        dims[a] = to - from;
        var y = Tensor.Empty(new Shape(dims), x.DType);
        MoveSlab(x, size * inner, from * inner, y, (to - from) * inner, 0, outer, (to - from) * inner);
        return Graph.Record("slice", y, [x], (x, from, to, size, outer, inner), static (s, g) =>
        {
            var gx = Tensor.Zeros(s.x.Shape, s.x.DType);
            MoveSlab(g, (s.to - s.from) * s.inner, 0, gx, s.size * s.inner, s.from * s.inner, s.outer, (s.to - s.from) * s.inner);
            return [gx];
        });
    }

    /// <summary>
    /// The tensors joined along <paramref name="axis"/>; every other dimension must agree. Each input's gradient is its
    /// slice of the output's gradient.
    /// </summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("cat: needs at least one tensor");
        var inputs = tensors.ToArray();
        if (inputs.Any(t => t.DType != inputs[0].DType))
        {
            var common = TypePromotion.CommonDType(inputs);
            inputs = [.. inputs.Select(t => t.To(common))];
        }
        var first = inputs[0].Shape;
        int a = first.NormalizeAxis(axis, "cat");
        var dims = first.ToArray();
        dims[a] = 0;
        foreach (var t in inputs)
        {
            bool fits = t.Rank == first.Rank && Enumerable.Range(0, first.Rank).All(i => i == a || t.Shape[i] == first[i]);
            if (!fits) throw new ArgumentException($"cat: shapes {first} and {t.Shape} differ outside axis {axis}");
            dims[a] += t.Shape[a];
        }
        var y = Tensor.Empty(new Shape(dims), inputs[0].DType);
        var (outer, inner) = first.AroundAxis(a);
        int rowLength = dims[a] * inner;
        int offset = 0;
        foreach (var t in inputs)
        {
            MoveSlab(t, t.Shape[a] * inner, 0, y, rowLength, offset * inner, outer, t.Shape[a] * inner);
            offset += t.Shape[a];
        }
        return Graph.Record("cat", y, inputs, (inputs, a), static (s, g) =>
        {
            var grads = new Tensor?[s.inputs.Length];
            for (int i = 0, at = 0; i < s.inputs.Length; at += s.inputs[i].Shape[s.a], i++)
            {
                grads[i] = g.Slice(s.a, at, at + s.inputs[i].Shape[s.a]);
            }
            return grads;
        });
    }

    private static Shape InferShape(Shape from, int[] shape)
    {
        int unknown = Array.IndexOf(shape, -1);
        if (unknown >= 0 && Array.IndexOf(shape, -1, unknown + 1) >= 0)
        {
            throw new ArgumentException($"reshape: only one dimension can be -1, got [{string.Join(',', shape)}]");
        }
        var dims = (int[])shape.Clone();
        if (unknown >= 0)
        {
            dims[unknown] = 1;
            int known = new Shape(dims).NumElements;
            if (known == 0 || from.NumElements % known != 0)
            {
                throw new ArgumentException($"reshape: shape {from} cannot be viewed as [{string.Join(',', shape)}]");
            }
            dims[unknown] = from.NumElements / known;
        }
        var target = new Shape(dims);
        if (target.NumElements != from.NumElements)
        {
            throw new ArgumentException($"reshape: shape {from} ({from.NumElements} elements) cannot be viewed as {target} ({target.NumElements} elements)");
        }
        return target;
    }

    private static void MoveSlab(Tensor source, int sourceRow, int sourceStart, Tensor target, int targetRow, int targetStart, int outer, int length)
    {
        switch (source.DType)
        {
            case DType.Float32: Copy.Slabs<float>(source.Span<float>(), sourceRow, sourceStart, target.Span<float>(), targetRow, targetStart, outer, length); break;
            case DType.Float64: Copy.Slabs<double>(source.Span<double>(), sourceRow, sourceStart, target.Span<double>(), targetRow, targetStart, outer, length); break;
            default: Copy.Slabs<long>(source.Span<long>(), sourceRow, sourceStart, target.Span<long>(), targetRow, targetStart, outer, length); break;
        }
    }
}

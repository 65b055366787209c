using System.Collections;
using System.Runtime.CompilerServices;

namespace Backprop;

/// <summary>
/// The dimensions of a tensor, outermost first. Immutable; equal shapes compare equal.
/// Prints as <c>[2,3]</c>; a scalar (0-d tensor) has the empty shape <c>[]</c>.
/// </summary>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public sealed class Shape : IReadOnlyList<int>, IEquatable<Shape>
{
    private readonly int[] dims;

    /// <summary>Creates a shape; every dimension must be zero or positive.</summary>
    public Shape(params ReadOnlySpan<int> dims)
    {
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentException($"shape: dimension {d} is negative in [{string.Join(',', dims.ToArray())}]");
        }
        this.dims = dims.ToArray();
        long count = 1;
        foreach (int d in this.dims)
        {
            count *= d;
            if (count > Array.MaxLength) throw new ArgumentException($"shape: {this} holds more elements than an array can");
        }
        NumElements = (int)count;
    }

    /// <summary>Builds a shape from a collection expression: <c>Shape s = [2, 3];</c>.</summary>
    public static Shape Create(ReadOnlySpan<int> dims) => new(dims);

    /// <summary>The empty shape of a 0-d (scalar) tensor.</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>Number of dimensions.</summary>
    public int Rank => dims.Length;

    /// <summary>
    /// Number of elements: the product of the dimensions (1 for a scalar), PyTorch's <c>numel()</c>. Not called Count: as a
    /// collection of dimensions a shape's count is its rank, and a collection expression that spreads a shape
    /// (<c>[n, .. shape]</c>) sizes itself by a public Count.
    /// </summary>
    public int NumElements { get; }

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => dims[NormalizeAxis(axis, "shape")];

    int IReadOnlyCollection<int>.Count => dims.Length;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])dims.Clone();

    internal ReadOnlySpan<int> Dims => dims;

    /// <summary>Row-major strides in elements: the last axis has stride 1.</summary>
    internal int[] Strides()
    {
        var strides = new int[dims.Length];
        int stride = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    /// <summary>The products of the dimensions before and after <paramref name="axis"/>: the array seen as [outer, axis, inner].</summary>
    internal (int Outer, int Inner) AroundAxis(int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < dims.Length; i++) inner *= dims[i];
        return (outer, inner);
    }

    /// <summary>True when this shape broadcasts to <paramref name="target"/> unchanged: no more axes, each equal or 1.</summary>
    internal bool BroadcastsTo(Shape target)
    {
        if (Rank > target.Rank) return false;
        for (int i = 1; i <= Rank; i++)
        {
            if (dims[^i] != 1 && dims[^i] != target.dims[^i]) return false;
        }
        return true;
    }

    /// <summary>This shape's strides aligned to the axes of <paramref name="target"/>, 0 on every axis along which it is broadcast.</summary>
    internal int[] BroadcastStrides(Shape target)
    {
        var own = Strides();
        var strides = new int[target.Rank];
        int shift = target.Rank - Rank;
        for (int axis = 0; axis < Rank; axis++)
        {
            strides[axis + shift] = dims[axis] == 1 ? 0 : own[axis];
        }
        return strides;
    }

    /// <summary>Turns a possibly negative axis into an index in [0, Rank), or throws naming <paramref name="op"/>.</summary>
    public int NormalizeAxis(int axis, string op)
    {
        int normalized = axis < 0 ? axis + dims.Length : axis;
        if (normalized < 0 || normalized >= dims.Length)
        {
            throw new ArgumentException($"{op}: axis {axis} is out of range for shape {this}");
        }
        return normalized;
    }

    /// <summary>
    /// The shape both operands broadcast to, by NumPy's rules: align from the last axis; sizes must be equal or one of them 1.
    /// </summary>
    public static Shape Broadcast(Shape a, Shape b, string op)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Rank ? a.dims[^i] : 1;
            int db = i <= b.Rank ? b.dims[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"{op}: shapes {a} and {b} cannot be broadcast together");
            }
            result[^i] = da == 1 ? db : da;
        }
        return new Shape(result);
    }

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Shapes are equal when their dimensions are.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Shapes differ when any dimension does.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Lets an <c>int[]</c> stand where a shape is expected.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The dimensions as <c>[2,3]</c>.</summary>
    public override string ToString() => $"[{string.Join(',', dims)}]";
}

using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// An N-dimensional array of float32, float64 or int64 numbers, stored contiguously in row-major order,
/// that remembers how it was computed so that <see cref="Backward"/> can apply the chain rule (floating-point tensors only).
/// A scalar is a 0-d tensor. Ops live beside it as extension methods (<c>x.Exp()</c>, <c>a.MatMul(b)</c>)
/// and as operators (<c>a * b + c</c>).
/// </summary>
public sealed partial class Tensor
{
    private bool requiresGrad;
    private Tensor? grad;
    private bool gradIsStale; // ZeroGrad(setToNone: false) ran: the buffer stands for zeros until it is read or overwritten
    private Array? storage;
    private readonly bool pooled;

    /// <summary>
    /// A tensor over <paramref name="storage"/>. <paramref name="viewOf"/> names the tensor whose storage this one shares
    /// (reshape, detach); <paramref name="pooled"/> says the storage was rented from the pool and goes back when the
    /// enclosing <see cref="TensorScope"/> ends.
    /// </summary>
    internal Tensor(Shape shape, Array storage, Tensor? viewOf = null, bool pooled = false)
    {
        Shape = shape;
        this.storage = storage;
        ViewOf = viewOf;
        this.pooled = pooled;
        DType = storage switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            long[] => DType.Int64,
            _ => throw new ArgumentException($"tensor: storage of type {storage.GetType().Name} is not float[], double[] or long[]"),
        };
        if (storage.Length != shape.NumElements)
        {
            throw new ArgumentException($"tensor: {storage.Length} values cannot fill shape {shape} ({shape.NumElements} elements)");
        }
        TensorScope.Track(this);
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>True for float32 and float64 tensors (PyTorch's <c>is_floating_point()</c>): only they can require grad.</summary>
    public bool IsFloatingPoint => DType != DType.Int64;

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => Shape.Rank;

    /// <summary>Number of elements (PyTorch's <c>numel()</c>).</summary>
    public int Count => Shape.NumElements;

    /// <summary>The values: <c>float[]</c>, <c>double[]</c> or <c>long[]</c>, row-major, exactly <see cref="Count"/> long.</summary>
    internal Array Storage => storage ?? throw new InvalidOperationException(
        "tensor: its values were released when the TensorScope that made it ended; keep it with scope.Keep(tensor) to use it afterwards");

    /// <summary>The tensor whose storage this one shares, if it is a view.</summary>
    internal Tensor? ViewOf { get; }

    /// <summary>True once the enclosing <see cref="TensorScope"/> has ended and taken the values back.</summary>
    public bool IsReleased => storage is null;

    /// <summary>Called by the scope that tracked this tensor: the storage goes back to the pool if this tensor rented it.</summary>
    internal void Release()
    {
        if (pooled && storage is not null) StoragePool.Return(storage);
        storage = null;
    }

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on the leaves you want gradients for (weights, inputs);
    /// results of ops inherit it from their inputs and cannot be changed. Only floating-point tensors can require grad.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (GradFn is not null)
            {
                throw new InvalidOperationException($"RequiresGrad can only be changed on leaf tensors; this one was made by '{GradFn.Name}' (use Detach() to get a leaf)");
            }
            if (value && !IsFloatingPoint)
            {
                throw new InvalidOperationException($"RequiresGrad: only floating-point tensors can require gradients; this one is {DType} (convert it with To(DType.Float32))");
            }
            requiresGrad = value;
        }
    }

    /// <summary>The gradient accumulated by <see cref="Backward"/>: filled on leaves, and on other tensors after <see cref="RetainGrad"/>.</summary>
    public Tensor? Grad
    {
        get
        {
            if (gradIsStale)
            {
                gradIsStale = false;
                grad!.FillInPlace(0);
            }
            return grad;
        }
        set
        {
            grad = value;
            gradIsStale = false;
        }
    }

    /// <summary>The op that made this tensor, or null for a leaf (a tensor made by a constructor or <see cref="Detach"/>).</summary>
    public Node? GradFn { get; private set; }

    /// <summary>True when the tensor was not made by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    internal bool RetainsGrad { get; private set; }

    /// <summary>Marks this tensor as made by <paramref name="node"/>; called by the graph recorder only.</summary>
    internal void SetGradFn(Node node)
    {
        GradFn = node;
        requiresGrad = true;
    }

    /// <summary>Asks <see cref="Backward"/> to keep this non-leaf tensor's gradient in <see cref="Grad"/> (PyTorch's <c>retain_grad()</c>).</summary>
    public Tensor RetainGrad()
    {
        if (!RequiresGrad) throw new InvalidOperationException("RetainGrad: this tensor does not require grad, so it will never have a gradient");
        RetainsGrad = true;
        return this;
    }

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires grad, walking the graph backwards
    /// and applying the chain rule at each op; gradients add up in each leaf's <see cref="Grad"/>.
    /// A scalar starts from 1; any other tensor needs <paramref name="gradient"/> of its own shape.
    /// The graph's saved values are freed afterwards unless <paramref name="retainGraph"/> is true.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) => Engine.Backward(this, gradient, retainGraph);

    /// <summary>
    /// Clears the gradient: sets <see cref="Grad"/> to null (PyTorch's default, <c>set_to_none=True</c>), or with
    /// <paramref name="setToNone"/> false fills it with zeros so the next backward pass adds into the same buffer.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        if (setToNone) Grad = null;
        else if (grad is not null) gradIsStale = true; // zeroed lazily: the next backward overwrites it instead of adding
    }

    /// <summary>
    /// When the gradient buffer was zeroed by <see cref="ZeroGrad"/> and fits, copies <paramref name="gradient"/> into it
    /// (cheaper than filling zeros and adding) and returns true.
    /// </summary>
    internal bool TryOverwriteZeroedGrad(Tensor gradient)
    {
        if (!gradIsStale || grad!.Shape != gradient.Shape || grad.DType != gradient.DType) return false;
        grad.CopyInPlace(gradient);
        gradIsStale = false;
        return true;
    }

    /// <summary>
    /// When this leaf's gradient buffer was zeroed by <see cref="ZeroGrad"/> and has <paramref name="shape"/> and
    /// <paramref name="dtype"/>, hands it to a backward rule that will write the whole gradient into it (it counts as written
    /// from now on), sparing the copy <see cref="TryOverwriteZeroedGrad"/> would make; null otherwise, and always in anomaly
    /// mode, whose checks see only the gradients rules return.
    /// </summary>
    internal Tensor? TakeZeroedGradBuffer(Shape shape, DType dtype)
    {
        if (!IsLeaf || !gradIsStale || grad!.Shape != shape || grad.DType != dtype || AnomalyMode.IsEnabled) return null;
        gradIsStale = false;
        return grad;
    }

    /// <summary>A leaf that shares this tensor's values but has no history and does not require grad.</summary>
    public Tensor Detach() => new(Shape, Storage, viewOf: this);

    /// <summary>A leaf with a copy of the values.</summary>
    public Tensor Clone() => new(Shape, (Array)Storage.Clone());

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Count != 1) throw new InvalidOperationException($"Item: only a one-element tensor has an item, this one has shape {Shape}");
        return this[new int[Rank]];
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension; negative ones count from the end).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public double this[params int[] index]
    {
        get
        {
            int offset = Offset(index);
            return Storage switch
            {
                float[] values => values[offset],
                double[] values => values[offset],
                _ => ((long[])Storage)[offset],
            };
        }
        set
        {
            int offset = Offset(index);
            switch (Storage)
            {
                case float[] values: values[offset] = (float)value; break;
                case double[] values: values[offset] = value; break;
                default: ((long[])Storage)[offset] = (long)value; break; // toward zero, as PyTorch stores a float into an integer tensor
            }
        }
    }

    /// <summary>The values as float32, row-major (a copy).</summary>
    public float[] ToFloatArray() => ConvertedValues<float>();

    /// <summary>The values as float64, row-major (a copy).</summary>
    public double[] ToDoubleArray() => ConvertedValues<double>();

    /// <summary>The values as int64, row-major (a copy; floating-point values are truncated toward zero, as PyTorch's <c>.long()</c>).</summary>
    public long[] ToInt64Array() => ConvertedValues<long>();

    /// <summary>The values, writable, for kernels; <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    internal Span<T> Span<T>() => StorageArray<T>();

    /// <summary>The storage array itself, for kernels that hand parts of it to other threads (a span cannot be shared).</summary>
    internal T[] StorageArray<T>() => Storage as T[] ?? throw new InvalidOperationException(
        $"tensor: a {DType} tensor was read as {typeof(T).Name} values (an op that does not take {DType} tensors let one through)");

    /// <summary>
    /// Throws, naming <paramref name="op"/>, unless this tensor holds floating-point values: differentiable ops compute
    /// in float32 or float64 only.
    /// </summary>
    internal void RequireFloatingPoint(string op)
    {
        if (!IsFloatingPoint)
        {
            throw new ArgumentException($"{op}: expects a floating-point tensor (Float32 or Float64), got {DType} of shape {Shape}; convert it with To(DType.Float32)");
        }
    }

    /// <summary>A new array of the values converted to <typeparamref name="T"/> (as <see cref="Conversion.To"/> converts them).</summary>
    private T[] ConvertedValues<T>() where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (Storage is T[] same) return (T[])same.Clone();
        var values = new T[Count];
        switch (Storage)
        {
            case float[] source: Copy.Convert<float, T>(source, values); break;
            case double[] source: Copy.Convert<double, T>(source, values); break;
            default: Copy.Convert<long, T>((long[])Storage, values); break;
        }
        return values;
    }

    /// <summary>Prints like PyTorch: values (abbreviated past 1000 elements), then shape, dtype and grad state.</summary>
    public override string ToString() => TensorFormatter.Format(this);

    private int Offset(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"index: a tensor of shape {Shape} takes {Rank} indices, got {index.Length}");
        }
        int offset = 0;
        for (int axis = 0; axis < Rank; axis++)
        {
            int size = Shape[axis];
            int i = index[axis] < 0 ? index[axis] + size : index[axis];
            if (i < 0 || i >= size)
            {
                throw new IndexOutOfRangeException($"index: {index[axis]} is out of range for axis {axis} of size {size} in shape {Shape}");
            }
            offset = offset * size + i;
        }
        return offset;
    }
}

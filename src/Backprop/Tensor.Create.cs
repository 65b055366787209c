namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// A tensor for an op to write every element of: inside a <see cref="TensorScope"/> its storage comes from the pool
    /// and holds old values; outside, it is a new zeroed array.
    /// </summary>
    internal static Tensor Empty(Shape shape, DType dtype) =>
        TensorScope.IsActive
            ? new(shape, StoragePool.Rent(dtype, shape.NumElements), pooled: true)
            : new(shape, NewStorage(dtype, shape.NumElements));

    /// <summary>A new zeroed array of <paramref name="length"/> elements of <paramref name="dtype"/>.</summary>
    internal static Array NewStorage(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        _ => new long[length],
    };

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32)
    {
        var t = Empty(shape, dtype);
        if (TensorScope.IsActive) Array.Clear(t.Storage);
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32) => Full(shape, 1.0, dtype);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32)
    {
        var t = Empty(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: t.Span<float>().Fill((float)value); break;
            case DType.Float64: t.Span<double>().Fill(value); break;
            default: t.Span<long>().Fill((long)value); break; // toward zero, as torch.full with dtype=torch.long
        }
        return t;
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full(Shape.Scalar, value, dtype);

    /// <summary>A float32 tensor with a copy of <paramref name="values"/>, shaped <paramref name="shape"/> (1-D when omitted).</summary>
    public static Tensor FromArray(float[] values, Shape? shape = null) =>
        new(shape ?? new Shape(values.Length), (float[])values.Clone());

    /// <summary>A float64 tensor with a copy of <paramref name="values"/>, shaped <paramref name="shape"/> (1-D when omitted).</summary>
    public static Tensor FromArray(double[] values, Shape? shape = null) =>
        new(shape ?? new Shape(values.Length), (double[])values.Clone());

    /// <summary>An int64 tensor with a copy of <paramref name="values"/>, shaped <paramref name="shape"/> (1-D when omitted).</summary>
    public static Tensor FromArray(long[] values, Shape? shape = null) =>
        new(shape ?? new Shape(values.Length), (long[])values.Clone());

    /// <summary>A 2-D float32 tensor with a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(float[,] values)
    {
        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(float));
        return new Tensor(new Shape(values.GetLength(0), values.GetLength(1)), flat);
    }

    /// <summary>A 2-D float64 tensor with a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(double[,] values)
    {
        var flat = new double[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return new Tensor(new Shape(values.GetLength(0), values.GetLength(1)), flat);
    }

    /// <summary>The 1-D tensor start, start + step, … up to but excluding <paramref name="end"/>, as <c>torch.arange</c>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0 || !double.IsFinite(step)) throw new ArgumentException($"arange: step must be finite and non-zero, got {step}");
        if (!double.IsFinite(start) || !double.IsFinite(end)) throw new ArgumentException($"arange: start and end must be finite, got {start} and {end}");
        int count = (int)Math.Max(0, Math.Ceiling((end - start) / step));
        var t = Empty(new Shape(count), dtype);
        for (int i = 0; i < count; i++) t[i] = start + i * step;
        return t;
    }

    /// <summary>Uniform samples in [0, 1), as <c>torch.rand</c>.</summary>
    public static Tensor Rand(Shape shape, Generator? generator = null, DType dtype = DType.Float32) =>
        Uniform(shape, 0, 1, generator, dtype);

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Shape shape, double low, double high, Generator? generator = null, DType dtype = DType.Float32)
    {
        if (!(low <= high)) throw new ArgumentException($"uniform: low {low} must not exceed high {high}");
        RequireFloatingDType(dtype, "uniform");
        var g = generator ?? Generator.Default;
        var t = Empty(shape, dtype);
        if (dtype == DType.Float32)
        {
            var span = t.Span<float>();
            for (int i = 0; i < span.Length; i++) span[i] = (float)(low + (high - low) * g.NextSingle());
        }
        else
        {
            var span = t.Span<double>();
            for (int i = 0; i < span.Length; i++) span[i] = low + (high - low) * g.NextDouble();
        }
        return t;
    }

    /// <summary>Standard normal samples, as <c>torch.randn</c>.</summary>
    public static Tensor Randn(Shape shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        RequireFloatingDType(dtype, "randn");
        var g = generator ?? Generator.Default;
        var t = Empty(shape, dtype);
        if (dtype == DType.Float32)
        {
            var span = t.Span<float>();
            for (int i = 0; i < span.Length; i++) span[i] = (float)g.NextNormal();
        }
        else
        {
            var span = t.Span<double>();
            for (int i = 0; i < span.Length; i++) span[i] = g.NextNormal();
        }
        return t;
    }

    private static void RequireFloatingDType(DType dtype, string op)
    {
        if (dtype == DType.Int64) throw new ArgumentException($"{op}: draws floating-point values; {dtype} is not a floating-point dtype");
    }
}

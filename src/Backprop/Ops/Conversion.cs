using System.Numerics;
using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Changing a tensor's dtype.</summary>
public static class Conversion
{
    /// <summary>
    /// The tensor in <paramref name="dtype"/>; the same tensor when it already is. Between float32 and float64 the gradient
    /// converts back. To int64, values are truncated toward zero (PyTorch's <c>.long()</c>) and the result is a constant
    /// that carries no gradient, as in PyTorch; from int64, values are rounded to the nearest float.
    /// </summary>
    public static Tensor To(this Tensor x, DType dtype)
    {
        if (x.DType == dtype) return x;
        var y = Tensor.Empty(x.Shape, dtype);
        switch (x.DType)
        {
            case DType.Float32: ConvertInto<float>(x.Span<float>(), y); break;
            case DType.Float64: ConvertInto<double>(x.Span<double>(), y); break;
            default: ConvertInto<long>(x.Span<long>(), y); break;
        }
        return dtype == DType.Int64 ? y : Graph.Record("to", y, [x], x.DType, static (dtype, g) => [g.To(dtype)]);
    }

    private static void ConvertInto<TFrom>(ReadOnlySpan<TFrom> x, Tensor y) where TFrom : unmanaged, INumberBase<TFrom>
    {
        switch (y.DType)
        {
            case DType.Float32: Copy.Convert<TFrom, float>(x, y.Span<float>()); break;
            case DType.Float64: Copy.Convert<TFrom, double>(x, y.Span<double>()); break;
            default: Copy.Convert<TFrom, long>(x, y.Span<long>()); break;
        }
    }
}

using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Changing a tensor's dtype.</summary>
public static class Conversion
{
    /// <summary>The tensor in <paramref name="dtype"/>; the same tensor when it already is. The gradient converts back.</summary>
    public static Tensor To(this Tensor x, DType dtype)
    {
        if (x.DType == dtype) return x;
        var y = Tensor.Empty(x.Shape, dtype);
        if (dtype == DType.Float64) Copy.Convert<float, double>(x.Span<float>(), y.Span<double>());
        else Copy.Convert<double, float>(x.Span<double>(), y.Span<float>());
        return Graph.Record("to", y, [x], g => [g.To(x.DType)]);
    }
}

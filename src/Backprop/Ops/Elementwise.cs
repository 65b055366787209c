using Backprop.Kernels;

namespace Backprop;

/// <summary>Runs span kernels over whole tensors: allocates the result, picks the float or double instantiation, broadcasts.</summary>
internal static class Elementwise
{
    /// <summary>y = f(x), element by element, same shape and dtype.</summary>
    public static Tensor Map<TKernel>(Tensor x, TKernel kernel) where TKernel : struct, IUnaryKernel
    {
        var y = Tensor.Empty(x.Shape, x.DType);
        if (x.DType == DType.Float32) kernel.Apply<float>(x.Span<float>(), y.Span<float>());
        else kernel.Apply<double>(x.Span<double>(), y.Span<double>());
        return y;
    }

    /// <summary>d = f(a, b) over the broadcast shape of two tensors of one dtype.</summary>
    public static Tensor Zip<TKernel>(Tensor a, Tensor b, TKernel kernel, string op) where TKernel : struct, IBinaryKernel
    {
        if (a.DType != b.DType) throw new ArgumentException($"{op}: dtypes {a.DType} and {b.DType} differ");
        var shape = a.Shape == b.Shape ? a.Shape : Shape.Broadcast(a.Shape, b.Shape, op);
        var d = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32) BroadcastLoop.Run<float, TKernel>(a.Span<float>(), a.Shape, b.Span<float>(), b.Shape, d.Span<float>(), shape, kernel);
        else BroadcastLoop.Run<double, TKernel>(a.Span<double>(), a.Shape, b.Span<double>(), b.Shape, d.Span<double>(), shape, kernel);
        return d;
    }

    /// <summary>Brings two operands to a common dtype as PyTorch does: float32 with float64 computes in float64 (recorded, so gradients convert back).</summary>
    public static (Tensor A, Tensor B) Promote(Tensor a, Tensor b) =>
        a.DType == b.DType ? (a, b) : (a.To(DType.Float64), b.To(DType.Float64));
}

using Backprop.Kernels;

namespace Backprop;

/// <summary>Runs span kernels over whole tensors: allocates the result, picks the instantiation for the dtype, broadcasts.</summary>
internal static class KernelRunner
{
    /// <summary>y = f(x), element by element, same shape and dtype.</summary>
    public static Tensor Map<TKernel>(Tensor x, TKernel kernel) where TKernel : struct, IUnaryKernel
    {
        // The check costs nothing on the hot path; only a refused tensor pays for naming the kernel.
        if (!x.IsFloatingPoint) x.RequireFloatingPoint(SnakeCase(typeof(TKernel).Name));
        var y = Tensor.Empty(x.Shape, x.DType);
        if (x.DType == DType.Float32) kernel.Apply<float>(x.Span<float>(), y.Span<float>());
        else kernel.Apply<double>(x.Span<double>(), y.Span<double>());
        return y;
    }

    /// <summary>A kernel's name as the ops are named: LeakyReluDerivative → leaky_relu_derivative.</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    /// <summary>d = f(a, b) over the broadcast shape of two tensors of one dtype.</summary>
    public static Tensor Zip<TKernel>(Tensor a, Tensor b, TKernel kernel, string op) where TKernel : struct, IBinaryKernel
    {
        if (a.DType != b.DType) throw new ArgumentException($"{op}: dtypes {a.DType} and {b.DType} differ");
        a.RequireFloatingPoint(op);
        var shape = a.Shape == b.Shape ? a.Shape : Shape.Broadcast(a.Shape, b.Shape, op);
        var d = Tensor.Empty(shape, a.DType);
        if (a.DType == DType.Float32) BroadcastLoop.Run<float, TKernel>(a.Span<float>(), a.Shape, b.Span<float>(), b.Shape, d.Span<float>(), shape, kernel);
        else BroadcastLoop.Run<double, TKernel>(a.Span<double>(), a.Shape, b.Span<double>(), b.Shape, d.Span<double>(), shape, kernel);
        return d;
    }

    /// <summary>Fills <paramref name="y"/> from <paramref name="x"/> read through <paramref name="strides"/> (see <see cref="Copy.Strided{T}"/>), any dtype.</summary>
    public static void StridedCopy(Tensor x, ReadOnlySpan<int> sizes, ReadOnlySpan<int> strides, Tensor y)
    {
        switch (x.DType)
        {
            case DType.Float32: Copy.Strided<float>(x.Span<float>(), sizes, strides, y.Span<float>()); break;
            case DType.Float64: Copy.Strided<double>(x.Span<double>(), sizes, strides, y.Span<double>()); break;
            default: Copy.Strided<long>(x.Span<long>(), sizes, strides, y.Span<long>()); break;
        }
    }
}

using System.Numerics.Tensors;
using Backprop.Autograd;

namespace Backprop;

/// <summary>
/// Updates that overwrite a tensor's values, as optimizers need. They are not recorded, so on a tensor that requires grad
/// they are allowed only inside a <see cref="NoGrad"/> scope (PyTorch's rule for leaves).
/// </summary>
public static class InPlace
{
    /// <summary>x ← x + alpha·other, with <paramref name="other"/> broadcast to x's shape (PyTorch's <c>add_(other, alpha=…)</c>).</summary>
    public static void AddInPlace(this Tensor x, Tensor other, double alpha = 1)
    {
        RequireNoGrad(x, "add_");
        RequireIntegral(x, alpha, "add_", "alpha");
        var addend = other.To(x.DType).BroadcastTo(x.Shape);
        switch (x.DType)
        {
            case DType.Float32: TensorPrimitives.MultiplyAdd(addend.Span<float>(), (float)alpha, x.Span<float>(), x.Span<float>()); break;
            case DType.Float64: TensorPrimitives.MultiplyAdd(addend.Span<double>(), alpha, x.Span<double>(), x.Span<double>()); break;
            default: TensorPrimitives.MultiplyAdd(addend.Span<long>(), (long)alpha, x.Span<long>(), x.Span<long>()); break;
        }
    }

    /// <summary>x ← x·factor (PyTorch's <c>mul_</c> with a number).</summary>
    public static void MulInPlace(this Tensor x, double factor)
    {
        RequireNoGrad(x, "mul_");
        RequireIntegral(x, factor, "mul_", "factor");
        switch (x.DType)
        {
            case DType.Float32: TensorPrimitives.Multiply(x.Span<float>(), (float)factor, x.Span<float>()); break;
            case DType.Float64: TensorPrimitives.Multiply(x.Span<double>(), factor, x.Span<double>()); break;
            default: TensorPrimitives.Multiply(x.Span<long>(), (long)factor, x.Span<long>()); break;
        }
    }

    /// <summary>Every element ← <paramref name="value"/> (PyTorch's <c>fill_</c>).</summary>
    public static void FillInPlace(this Tensor x, double value)
    {
        RequireNoGrad(x, "fill_");
        RequireIntegral(x, value, "fill_", "value");
        switch (x.DType)
        {
            case DType.Float32: x.Span<float>().Fill((float)value); break;
            case DType.Float64: x.Span<double>().Fill(value); break;
            default: x.Span<long>().Fill((long)value); break;
        }
    }

    /// <summary>x ← other, broadcast to x's shape and converted to x's dtype (PyTorch's <c>copy_</c>).</summary>
    public static void CopyInPlace(this Tensor x, Tensor other)
    {
        RequireNoGrad(x, "copy_");
        var source = other.To(x.DType).BroadcastTo(x.Shape);
        source.Storage.CopyTo(x.Storage, 0);
    }

    /// <summary>An int64 tensor takes only whole numbers in place (PyTorch refuses to cast a float result into it).</summary>
    private static void RequireIntegral(Tensor x, double number, string op, string what)
    {
        if (x.DType == DType.Int64 && !(number == Math.Floor(number) && Math.Abs(number) < 9.2e18))
        {
            throw new ArgumentException($"{op}: {what} {number} is not a whole number, so it cannot update an {x.DType} tensor in place");
        }
    }

    private static void RequireNoGrad(Tensor x, string op)
    {
        if (x.RequiresGrad && GradMode.IsEnabled)
        {
            throw new InvalidOperationException($"{op}: a tensor that requires grad cannot be changed in place while grad mode is on; wrap the update in a NoGrad scope");
        }
    }
}

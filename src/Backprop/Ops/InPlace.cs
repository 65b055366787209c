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
        var addend = other.To(x.DType).BroadcastTo(x.Shape);
        if (x.DType == DType.Float32) TensorPrimitives.MultiplyAdd(addend.Span<float>(), (float)alpha, x.Span<float>(), x.Span<float>());
        else TensorPrimitives.MultiplyAdd(addend.Span<double>(), alpha, x.Span<double>(), x.Span<double>());
    }

    /// <summary>x ← x·factor (PyTorch's <c>mul_</c> with a number).</summary>
    public static void MulInPlace(this Tensor x, double factor)
    {
        RequireNoGrad(x, "mul_");
        if (x.DType == DType.Float32) TensorPrimitives.Multiply(x.Span<float>(), (float)factor, x.Span<float>());
        else TensorPrimitives.Multiply(x.Span<double>(), factor, x.Span<double>());
    }

    /// <summary>Every element ← <paramref name="value"/> (PyTorch's <c>fill_</c>).</summary>
    public static void FillInPlace(this Tensor x, double value)
    {
        RequireNoGrad(x, "fill_");
        if (x.DType == DType.Float32) x.Span<float>().Fill((float)value);
        else x.Span<double>().Fill(value);
    }

    /// <summary>x ← other, broadcast to x's shape and converted to x's dtype (PyTorch's <c>copy_</c>).</summary>
    public static void CopyInPlace(this Tensor x, Tensor other)
    {
        RequireNoGrad(x, "copy_");
        var source = other.To(x.DType).BroadcastTo(x.Shape);
        source.Storage.CopyTo(x.Storage, 0);
    }

    private static void RequireNoGrad(Tensor x, string op)
    {
        if (x.RequiresGrad && GradMode.IsEnabled)
        {
            throw new InvalidOperationException($"{op}: a tensor that requires grad cannot be changed in place while grad mode is on; wrap the update in a NoGrad scope");
        }
    }
}

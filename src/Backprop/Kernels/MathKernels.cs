using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>Element-wise elementary functions, and the masks their derivatives need.</summary>
internal static class MathKernels
{
    public readonly struct Negate : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
    }

    public readonly struct Exp : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
    }

    public readonly struct Log : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
    }

    public readonly struct Sqrt : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
    }

    public readonly struct Abs : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
    }

    /// <summary>−1, 0 or 1: the derivative of |x| (0 at 0, as PyTorch).</summary>
    public readonly struct Sign : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : T.CreateTruncating(T.Sign(x[i]));
        }
    }

    public readonly struct Clamp(double min, double max) : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T lo = T.CreateTruncating(min), hi = T.CreateTruncating(max);
            for (int i = 0; i < y.Length; i++) y[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
        }
    }

    /// <summary>1 where min ≤ x ≤ max, else 0: where a clamp passes its gradient through (boundaries included, as PyTorch).</summary>
    public readonly struct InRange(double min, double max) : IUnaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T lo = T.CreateTruncating(min), hi = T.CreateTruncating(max);
            for (int i = 0; i < y.Length; i++) y[i] = x[i] >= lo && x[i] <= hi ? T.One : T.Zero;
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>The binary arithmetic kernels, each a thin wrapper over TensorPrimitives' SIMD loops.</summary>
internal static class ArithmeticKernels
{
    public readonly struct Add : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, d);
        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, d);
        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(b, a, d);
    }

    public readonly struct Subtract : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, d);
        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, d);
        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, d);
    }

    public readonly struct Multiply : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, d);
        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, d);
        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(b, a, d);
    }

    public readonly struct Divide : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, d);
    }

    public readonly struct Power : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, d);
        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, d);
        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, d);
    }

    /// <summary>1 where a equals b, else 0: the mask that routes a maximum's gradient to the elements that attained it.</summary>
    public readonly struct EqualMask : IBinaryKernel
    {
        public void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < d.Length; i++) d[i] = a[i] == b[i] ? T.One : T.Zero;
        }

        public void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < d.Length; i++) d[i] = a[i] == b ? T.One : T.Zero;
        }

        public void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Apply(b, a, d);
    }
}

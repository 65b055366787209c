using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Reductions along one axis of a row-major array viewed as [outer, n, inner]: the result is [outer, inner].
/// </summary>
internal static class Reduce
{
    public interface IAxisKernel
    {
        void Apply<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    public readonly struct Sum : IAxisKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < outer; o++)
            {
                var block = x.Slice(o * n * inner, n * inner);
                var target = result.Slice(o * inner, inner);
                if (inner == 1)
                {
                    target[0] = TensorPrimitives.Sum(block);
                    continue;
                }
                target.Clear();
                for (int k = 0; k < n; k++) TensorPrimitives.Add(target, block.Slice(k * inner, inner), target);
            }
        }
    }

    /// <summary>The maximum along the axis; NaN wins, as in PyTorch. The axis must not be empty.</summary>
    public readonly struct Max : IAxisKernel
    {
        public void Apply<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int o = 0; o < outer; o++)
            {
                var block = x.Slice(o * n * inner, n * inner);
                var target = result.Slice(o * inner, inner);
                if (inner == 1)
                {
                    target[0] = TensorPrimitives.Max(block);
                    continue;
                }
                block[..inner].CopyTo(target);
                for (int k = 1; k < n; k++) TensorPrimitives.Max(target, block.Slice(k * inner, inner), target);
            }
        }
    }

    /// <summary>
    /// The index along the axis of each largest value, into <paramref name="result"/> [outer, inner]: the first among ties,
    /// the first NaN where there is one (PyTorch's rule). The axis must not be empty.
    /// </summary>
    public static void ArgMax<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<long> result) where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * n * inner, n * inner);
            for (int i = 0; i < inner; i++)
            {
                T best = block[i];
                int at = 0;
                for (int k = 1; k < n && !T.IsNaN(best); k++)
                {
                    T value = block[k * inner + i];
                    if (value > best || T.IsNaN(value))
                    {
                        best = value;
                        at = k;
                    }
                }
                result[o * inner + i] = at;
            }
        }
    }
}

using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Batch normalisation over x viewed as [N, C, L] (L = the product of the axes after the channels, 1 for [N, C]): the
/// per-channel statistics of a batch, the per-channel affine map the normalisation reduces to, and the per-channel sums
/// its derivative needs. Channel sums are accumulated in double, as PyTorch's CPU kernels accumulate float32.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Each channel's mean and biased variance (divided by N·L), in two passes for accuracy.</summary>
    public static void Statistics<T>(ReadOnlySpan<T> x, int n, int c, int l, Span<double> mean, Span<double> variance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = ArrayPool<T>.Shared.Rent(l);
        try
        {
            var deviation = scratch.AsSpan(0, l);
            double count = (double)n * l;
            for (int ch = 0; ch < c; ch++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += double.CreateTruncating(TensorPrimitives.Sum(x.Slice((i * c + ch) * l, l)));
                mean[ch] = sum / count;
                double squares = 0;
                for (int i = 0; i < n; i++)
                {
                    TensorPrimitives.Subtract(x.Slice((i * c + ch) * l, l), T.CreateTruncating(mean[ch]), deviation);
                    squares += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(deviation));
                }
                variance[ch] = squares / count;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>y = x·scale[c] + shift[c] for every value of channel c.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int l, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * l;
                var row = y.Slice(start, l);
                TensorPrimitives.Multiply(x.Slice(start, l), T.CreateTruncating(scale[ch]), row);
                TensorPrimitives.Add(row, T.CreateTruncating(shift[ch]), row);
            }
        }
    }

    /// <summary>dx = g·a[c] + x·b[c] + offset[c] for every value of channel c.</summary>
    public static void Affine<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int n, int c, int l, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> offset, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                int start = (i * c + ch) * l;
                var row = dx.Slice(start, l);
                TensorPrimitives.Multiply(x.Slice(start, l), T.CreateTruncating(b[ch]), row);
                TensorPrimitives.Add(row, T.CreateTruncating(offset[ch]), row);
                TensorPrimitives.MultiplyAdd(g.Slice(start, l), T.CreateTruncating(a[ch]), row, row);
            }
        }
    }

    /// <summary>Each channel's Σ g and Σ g·(x − mean[c]), the two sums the derivative is made of.</summary>
    public static void GradientSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int n, int c, int l, ReadOnlySpan<double> mean, Span<double> sumG, Span<double> sumGX)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = ArrayPool<T>.Shared.Rent(l);
        try
        {
            var deviation = scratch.AsSpan(0, l);
            sumG.Clear();
            sumGX.Clear();
            for (int i = 0; i < n; i++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    int start = (i * c + ch) * l;
                    var gradient = g.Slice(start, l);
                    TensorPrimitives.Subtract(x.Slice(start, l), T.CreateTruncating(mean[ch]), deviation);
                    sumG[ch] += double.CreateTruncating(TensorPrimitives.Sum(gradient));
                    sumGX[ch] += double.CreateTruncating(TensorPrimitives.Dot<T>(gradient, deviation));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }
}

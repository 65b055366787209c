using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Layer normalisation over x viewed as [R, M]: each of the R rows of M values is normalised by its own mean and biased
/// variance. Row sums are accumulated in double, as in <see cref="BatchNormKernels"/>.
/// </summary>
internal static class LayerNormKernels
{
    /// <summary>
    /// x̂ = (x − μ_r)·invStd_r for each row r, written to <paramref name="normalized"/>, with invStd_r = 1/√(σ²_r + eps)
    /// written to <paramref name="invStd"/>; the mean and variance are computed in two passes for accuracy.
    /// </summary>
    public static void Normalize<T>(ReadOnlySpan<T> x, int rows, int m, double eps, Span<T> normalized, Span<double> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * m, m);
            var target = normalized.Slice(r * m, m);
            double mean = double.CreateTruncating(TensorPrimitives.Sum(row)) / m;
            TensorPrimitives.Subtract(row, T.CreateTruncating(mean), target);
            double variance = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(target)) / m;
            invStd[r] = 1 / Math.Sqrt(variance + eps);
            TensorPrimitives.Multiply(target, T.CreateTruncating(invStd[r]), target);
        }
    }

    /// <summary>y = x̂·w + b row by row, w and b of the rows' size; either may be empty (then 1 and 0).</summary>
    public static void Affine<T>(ReadOnlySpan<T> normalized, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, int rows, int m, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        normalized.CopyTo(y);
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * m, m);
            if (!weight.IsEmpty) TensorPrimitives.Multiply(row, weight, row);
            if (!bias.IsEmpty) TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>
    /// dx = invStd_r·(ĝ − mean_r(ĝ) − x̂·mean_r(ĝ·x̂)) with ĝ = g·w (g itself without a weight), row by row;
    /// <paramref name="scaled"/> is scratch of the rows' size.
    /// </summary>
    public static void InputGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> normalized, ReadOnlySpan<T> weight, int rows, int m,
        ReadOnlySpan<double> invStd, Span<T> scaled, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var gRow = g.Slice(r * m, m);
            var xHat = normalized.Slice(r * m, m);
            var target = dx.Slice(r * m, m);
            if (weight.IsEmpty) gRow.CopyTo(scaled);
            else TensorPrimitives.Multiply(gRow, weight, scaled);
            double meanG = double.CreateTruncating(TensorPrimitives.Sum<T>(scaled)) / m;
            double meanGX = double.CreateTruncating(TensorPrimitives.Dot<T>(scaled, xHat)) / m;
            // target = (ĝ − meanG − x̂·meanGX)·invStd
            TensorPrimitives.Multiply(xHat, T.CreateTruncating(-meanGX), target);
            TensorPrimitives.Add(target, scaled, target);
            TensorPrimitives.Add(target, T.CreateTruncating(-meanG), target);
            TensorPrimitives.Multiply(target, T.CreateTruncating(invStd[r]), target);
        }
    }

    /// <summary>dw = Σ_r g·x̂ (when <paramref name="dw"/> is not empty) and db = Σ_r g (when <paramref name="db"/> is not empty), accumulated in double.</summary>
    public static void AffineGradients<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> normalized, int rows, int m, Span<double> dw, Span<double> db)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < m; i++)
            {
                double gi = double.CreateTruncating(g[r * m + i]);
                if (!dw.IsEmpty) dw[i] += gi * double.CreateTruncating(normalized[r * m + i]);
                if (!db.IsEmpty) db[i] += gi;
            }
        }
    }
}

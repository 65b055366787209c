using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Softmax cross-entropy over rows of logits in one pass per row: the row's maximum, e^(x − max) normalised into
/// probabilities (kept for backward), and the loss log Σ e^(x − max) + max − x[target].
/// </summary>
internal static class CrossEntropyKernel
{
    /// <summary>Fills <paramref name="probabilities"/> [rows, classes] and returns the mean loss; targets are checked class indices (float or long).</summary>
    public static T Forward<T, TIndex>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<TIndex> targets, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, INumberBase<TIndex>
    {
        T total = T.Zero;
        for (int i = 0; i < targets.Length; i++)
        {
            var row = logits.Slice(i * classes, classes);
            var p = probabilities.Slice(i * classes, classes);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, p);
            TensorPrimitives.Exp(p, p);
            T sum = TensorPrimitives.Sum<T>(p);
            TensorPrimitives.Divide(p, sum, p);
            total += T.Log(sum) + max - row[int.CreateTruncating(targets[i])];
        }
        return total / T.CreateTruncating(targets.Length);
    }

    /// <summary>d loss / d logits = (softmax − one-hot(target)) · g / rows, written into <paramref name="gradient"/>.</summary>
    public static void Backward<T, TIndex>(ReadOnlySpan<T> probabilities, int classes, ReadOnlySpan<TIndex> targets, T upstream, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, INumberBase<TIndex>
    {
        T scale = upstream / T.CreateTruncating(targets.Length);
        TensorPrimitives.Multiply(probabilities, scale, gradient);
        for (int i = 0; i < targets.Length; i++) gradient[i * classes + int.CreateTruncating(targets[i])] -= scale;
    }
}

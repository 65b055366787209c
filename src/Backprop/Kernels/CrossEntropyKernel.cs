using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Kernels;

/// <summary>
/// Softmax cross-entropy over rows of logits in one pass per row: the row's maximum, e^(x − max) normalised into
/// probabilities (kept for backward), and the loss log Σ e^(x − max) + max − x[target]. A row whose target is the ignore
/// index adds nothing, is not counted in the mean, and gets no gradient.
/// </summary>
internal static class CrossEntropyKernel
{
    /// <summary>
    /// Fills <paramref name="probabilities"/> [rows, classes] and returns the mean loss over the rows not ignored (NaN when
    /// all are); targets are checked class indices (float or long) or <paramref name="ignoreIndex"/>.
    /// </summary>
    public static T Forward<T, TIndex>(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<TIndex> targets, int ignoreIndex, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, INumberBase<TIndex>
    {
        T total = T.Zero;
        int counted = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            // An ignored row's probabilities are never read: backward clears its gradient.
            if (Ignored(targets[i], ignoreIndex)) continue;
            var row = logits.Slice(i * classes, classes);
            var p = probabilities.Slice(i * classes, classes);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, p);
            TensorPrimitives.Exp(p, p);
            T sum = TensorPrimitives.Sum<T>(p);
            TensorPrimitives.Divide(p, sum, p);
            total += T.Log(sum) + max - row[int.CreateTruncating(targets[i])];
            counted++;
        }
        return total / T.CreateTruncating(counted);
    }

    /// <summary>
    /// d loss / d logits = (softmax − one-hot(target)) · g / counted rows, and 0 on ignored rows, written into
    /// <paramref name="gradient"/>.
    /// </summary>
    public static void Backward<T, TIndex>(ReadOnlySpan<T> probabilities, int classes, ReadOnlySpan<TIndex> targets, int ignoreIndex, T upstream, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, INumberBase<TIndex>
    {
        int counted = 0;
        foreach (var target in targets) if (!Ignored(target, ignoreIndex)) counted++;
        T scale = upstream / T.CreateTruncating(counted);
        TensorPrimitives.Multiply(probabilities, scale, gradient);
        for (int i = 0; i < targets.Length; i++)
        {
            if (Ignored(targets[i], ignoreIndex)) gradient.Slice(i * classes, classes).Clear();
            else gradient[i * classes + int.CreateTruncating(targets[i])] -= scale;
        }
    }

    private static bool Ignored<TIndex>(TIndex target, int ignoreIndex) where TIndex : unmanaged, INumberBase<TIndex> =>
        target == TIndex.CreateTruncating(ignoreIndex);
}

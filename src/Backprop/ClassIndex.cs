using System.Globalization;

namespace Backprop;

/// <summary>
/// The one rule for class indices, wherever they come from (a CSV column, IDX labels, a loss's or a task's targets, a
/// command's option): a whole number from 0, no larger than <see cref="Max"/>, and below the number of classes where that
/// is known.
/// </summary>
public static class ClassIndex
{
    /// <summary>
    /// The largest class index read from floating-point values (IDX labels, CSV cells, float targets): float32 holds whole
    /// numbers exactly up to 2^24. Int64 targets have no such limit.
    /// </summary>
    public const int Max = 1 << 24;

    /// <summary>
    /// What is wrong with <paramref name="value"/> as a class index (below <paramref name="classes"/> when given), as words
    /// that follow the value in a message ("is not a class in [0,3)"), or null when it is one.
    /// </summary>
    public static string? Problem(double value, int? classes = null)
    {
        bool whole = value >= 0 && value == Math.Floor(value);
        if (classes is { } count) return whole && value < count && value <= Max ? null : $"is not a class in [0,{count})";
        if (!whole) return "is not a class index (a whole number from 0)";
        return value > Max ? $"is larger than {Max}, the largest class index float32 targets hold exactly" : null;
    }

    /// <summary>
    /// Checks targets [N] of class indices (below <paramref name="classes"/> when given); the first that is not one is an
    /// <see cref="ArgumentException"/> naming <paramref name="op"/>, the value and its row.
    /// </summary>
    public static void Check(string op, ReadOnlySpan<float> targets, int? classes = null)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            if (Problem(targets[i], classes) is { } problem) throw new ArgumentException($"{op}: target {Format(targets[i])} at row {i} {problem}");
        }
    }

    /// <summary>
    /// Checks int64 targets [N] (PyTorch's class targets): each from 0, and below <paramref name="classes"/> when given
    /// (they hold any index exactly, so float32's limit does not apply).
    /// </summary>
    public static void Check(string op, ReadOnlySpan<long> targets, int? classes = null)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            long value = targets[i];
            if (value >= 0 && value < (classes ?? int.MaxValue)) continue;
            throw new ArgumentException($"{op}: target {value} at row {i} {(classes is { } count ? $"is not a class in [0,{count})" : "is not a class index (a whole number from 0)")}");
        }
    }

    /// <summary>
    /// The class indices held by <paramref name="targets"/> [N] (int64, or whole numbers in a float dtype), after
    /// <see cref="Check(string, ReadOnlySpan{float}, int?)"/>.
    /// </summary>
    public static int[] ToArray(string op, Tensor targets, int? classes = null)
    {
        if (targets.Rank != 1) throw new ArgumentException($"{op}: class targets must have shape [N], got {targets.Shape}");
        var indices = new int[targets.Count];
        if (targets.DType == DType.Int64)
        {
            var longs = targets.Span<long>();
            Check(op, longs, classes);
            for (int i = 0; i < indices.Length; i++) indices[i] = (int)longs[i];
            return indices;
        }
        var values = targets.To(DType.Float32).Span<float>();
        Check(op, values, classes);
        for (int i = 0; i < indices.Length; i++) indices[i] = (int)values[i];
        return indices;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

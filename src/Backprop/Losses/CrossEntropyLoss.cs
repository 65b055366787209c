namespace Backprop.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against class indices, as <c>nn.CrossEntropyLoss</c>. The target is a tensor [N] of class
/// indices: int64, as in PyTorch, or whole numbers in a float tensor (float32 holds class indices exactly).
/// </summary>
public sealed class CrossEntropyLoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.CrossEntropy(prediction, target);

    /// <summary>The class indices held by a tensor [N] of int64 values or of whole numbers.</summary>
    public static int[] ClassIndices(Tensor target)
    {
        if (target.Rank != 1) throw new ArgumentException($"cross_entropy: class targets must have shape [N], got {target.Shape}");
        var classes = new int[target.Count];
        if (target.DType == DType.Int64)
        {
            var values = target.Span<long>();
            for (int i = 0; i < values.Length; i++) classes[i] = CheckClass("cross_entropy", values[i], i, int.MaxValue);
        }
        else
        {
            var values = target.ToDoubleArray();
            for (int i = 0; i < values.Length; i++) classes[i] = CheckClass("cross_entropy", values[i], i, int.MaxValue);
        }
        return classes;
    }

    /// <summary>
    /// The one check of a class index, wherever a loss reads one: <paramref name="value"/> (the target of row
    /// <paramref name="row"/>) must be a whole number in [0, <paramref name="classes"/>); returns it.
    /// </summary>
    internal static int CheckClass(string op, double value, int row, int classes)
    {
        if (!(value >= 0 && value < classes && value == Math.Floor(value)))
        {
            string range = classes == int.MaxValue ? "a class index" : $"a class in [0,{classes})";
            throw new ArgumentException($"{op}: target {value} at row {row} is not {range}");
        }
        return (int)value;
    }
}

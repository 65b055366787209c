namespace Backprop.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against class indices, as <c>nn.CrossEntropyLoss</c>. The target is a tensor [N] of
/// whole numbers (Backprop has no integer dtype; float32 holds class indices exactly).
/// </summary>
public sealed class CrossEntropyLoss : LossModule
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor prediction, Tensor target) => Loss.CrossEntropy(prediction, target);

    /// <summary>The class indices held by a tensor [N] of whole numbers.</summary>
    public static int[] ClassIndices(Tensor target)
    {
        if (target.Rank != 1) throw new ArgumentException($"cross_entropy: class targets must have shape [N], got {target.Shape}");
        var values = target.ToDoubleArray();
        var classes = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Floor(values[i]) || values[i] < 0 || values[i] > int.MaxValue)
            {
                throw new ArgumentException($"cross_entropy: target {values[i]} at row {i} is not a class index");
            }
            classes[i] = (int)values[i];
        }
        return classes;
    }
}

using System.Numerics.Tensors;
using Backprop.Losses;

namespace Backprop.Training;

/// <summary>
/// Classification: each example's target is a class index (see <see cref="ClassIndex"/>), a model's outputs [B, C] hold
/// a score per class (or [B, 1], one score for class 1 of two), and an example is correct when its predicted class is its
/// target. <see cref="Outputs"/> says how the scores are read.
/// </summary>
public sealed class ClassificationTask(ClassOutputs outputs = ClassOutputs.Logits) : TrainingTask
{
    /// <summary>How the model's outputs are read.</summary>
    public ClassOutputs Outputs { get; } = outputs;

    /// <summary>The number of classes outputs [B, C] tell apart: C, or 2 for a single output.</summary>
    public static int ClassCount(Tensor outputs) => ClassCount(Width(outputs));

    /// <summary>The number of classes <paramref name="outputs"/> outputs per example tell apart: that many, or 2 for one.</summary>
    public static int ClassCount(int outputs) => outputs == 1 ? 2 : outputs;

    /// <summary>
    /// Class indices [B] as they are for <see cref="ClassOutputs.Logits"/>; otherwise [B, 1] for a single output (the class,
    /// 0 or 1; for <see cref="ClassOutputs.Signs"/> −1 or +1), or one-hot [B, C] (with −1 for the other classes for
    /// <see cref="ClassOutputs.Signs"/>). Every target must be a class of the outputs.
    /// </summary>
    public override Tensor EncodeTargets(Tensor targets, Tensor outputs)
    {
        if (Outputs == ClassOutputs.Logits) return targets;
        int width = Width(outputs);
        var classes = ClassIndex.ToArray("class targets", targets, ClassCount(outputs));
        if (width == 1)
        {
            var value = targets.To(outputs.DType).Reshape(classes.Length, 1); // the class as the value the loss compares with
            return Outputs == ClassOutputs.Signs ? value * 2 - 1 : value;
        }
        var oneHot = Tensor.Zeros([classes.Length, width]);
        var values = oneHot.Span<float>();
        if (Outputs == ClassOutputs.Signs) values.Fill(-1);
        for (int i = 0; i < classes.Length; i++) values[i * width + classes[i]] = 1;
        return oneHot;
    }

    /// <summary>
    /// The predicted class of each row of <paramref name="outputs"/> [B, C]: the largest output (the largest logit is the most
    /// probable class, so no softmax is needed; the first of tied maxima), or for a single output, class 1 when it reaches
    /// 0 (a logit or a sign) or 0.5 (a value).
    /// </summary>
    public int[] PredictClasses(Tensor outputs)
    {
        int width = Width(outputs);
        var values = outputs.To(DType.Float32).Span<float>();
        var classes = new int[values.Length / width];
        for (int i = 0; i < classes.Length; i++) classes[i] = PredictClass(values.Slice(i * width, width));
        return classes;
    }

    /// <summary>The predicted class of each row of <paramref name="outputs"/> and the model's probability for it.</summary>
    public (int[] Classes, double[] Probabilities) Classify(Tensor outputs)
    {
        int width = Width(outputs);
        var classes = PredictClasses(outputs);
        var scores = (Outputs switch
        {
            ClassOutputs.Logits => outputs.Softmax(-1),
            ClassOutputs.SigmoidLogits => outputs.Sigmoid(),
            ClassOutputs.Signs => (outputs + 1) / 2,
            _ => outputs,
        }).ToDoubleArray();
        var probabilities = new double[classes.Length];
        for (int i = 0; i < classes.Length; i++)
        {
            probabilities[i] = width > 1 ? scores[i * width + classes[i]] : classes[i] == 1 ? scores[i] : 1 - scores[i];
        }
        return (classes, probabilities);
    }

    /// <summary>
    /// How many rows of <paramref name="outputs"/> predict their class in <paramref name="targets"/> [B]; for a sequence's
    /// outputs [B, T, C] and targets [B, T], how many positions do.
    /// </summary>
    public int CountCorrect(Tensor outputs, Tensor targets)
    {
        int width = Width(outputs);
        var values = outputs.To(DType.Float32).Span<float>();
        var labels = ClassIndex.ToArray("class targets", targets.Reshape(targets.Count), ClassCount(outputs)); // a sequence's [B, T] as its B·T positions
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (PredictClass(values.Slice(i * width, width)) == labels[i]) correct++;
        }
        return correct;
    }

    private int PredictClass(ReadOnlySpan<float> row) =>
        row.Length == 1 && Outputs != ClassOutputs.Logits
            ? (row[0] >= (Outputs == ClassOutputs.Values ? 0.5f : 0) ? 1 : 0)
            : TensorPrimitives.IndexOfMax(row);

    /// <summary>The classes per row: outputs are [B, C], or [B, T, C] for a sequence (a class per position, on the last axis).</summary>
    private static int Width(Tensor outputs) =>
        outputs.Rank is 2 or 3 ? outputs.Shape[outputs.Rank - 1] : throw new ArgumentException($"classification: outputs must have shape [B,C] or [B,T,C], got {outputs.Shape}");
}

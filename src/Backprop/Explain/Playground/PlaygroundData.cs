using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Explain.Playground;

/// <summary>
/// A playground run's training or test points as the network sees them: the chosen input features of each point, and its
/// target (a class index for cross-entropy, −1 or +1 for squared-error classification, the value for regression).
/// </summary>
internal sealed class PlaygroundData
{
    private readonly PlaygroundSettings settings;
    private readonly float[] features;
    private readonly float[] targets;

    public PlaygroundData(PlanePoint[] points, PlaygroundSettings settings)
    {
        this.settings = settings;
        Points = points;
        int f = settings.Features.Count;
        features = new float[points.Length * f];
        targets = new float[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            var p = points[i];
            for (int j = 0; j < f; j++) features[i * f + j] = settings.Features[j].Compute(p.X1, p.X2);
            targets[i] = Target(p.Label);
        }
        All = new Dataset(Tensor.FromArray(features, new Shape(points.Length, f)), TargetTensor(0, points.Length),
            settings.Loss is CrossEntropyLoss ? settings.Classes : null);
    }

    public IReadOnlyList<PlanePoint> Points { get; }

    public int Count => Points.Count;

    /// <summary>Every point, for measuring.</summary>
    public Dataset All { get; }

    /// <summary>The points from <paramref name="start"/>, at most <paramref name="size"/> of them.</summary>
    public (Tensor Inputs, Tensor Targets) Batch(int start, int size)
    {
        int end = Math.Min(start + size, Count), f = settings.Features.Count;
        return (Tensor.FromArray(features[(start * f)..(end * f)], new Shape(end - start, f)), TargetTensor(start, end));
    }

    /// <summary>The loss and accuracy of <paramref name="model"/> here, measured as <c>backprop eval</c> measures a model file.</summary>
    public Evaluation Score(Module model) => Evaluator.Evaluate(model, settings.Loss, All, TrainingTask.For(settings.Loss, settings.Outputs));

    /// <summary>
    /// The points as CSV, in the form <c>backprop eval --data</c> reads: a column per input feature (named as the page
    /// names it), then the target; numbers written so that they read back as the same float32 values.
    /// </summary>
    public string Csv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', settings.Features.Select(InputFeatures.Label)).Append(",target\n");
        int f = settings.Features.Count;
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < f; j++) csv.Append(features[i * f + j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            csv.Append(targets[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    private float Target(float label) =>
        settings.Problem == PlaygroundProblem.Classification && settings.Loss is MSELoss ? (label > 0 ? 1 : -1) : label;

    private Tensor TargetTensor(int start, int end) => settings.Loss is CrossEntropyLoss
        ? Tensor.FromArray(targets[start..end].Select(t => (long)t).ToArray())
        : Tensor.FromArray(targets[start..end], new Shape(end - start, 1));
}

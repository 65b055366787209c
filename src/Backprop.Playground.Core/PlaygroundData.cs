using System.Globalization;
using System.Text;
using Backprop.Losses;
using Backprop.Data;
using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>
/// A playground run's training or test points as the network sees them: the chosen input features of each point, and its
/// target as the data holds it (a class index for classification, the value for regression); the run's
/// <see cref="TrainingTask"/> encodes it for the loss.
/// </summary>
internal sealed class PlaygroundData
{
    private readonly PlaygroundSettings settings;
    private readonly float[] features;
    private readonly float[] labels;

    public PlaygroundData(PlanePoint[] points, PlaygroundSettings settings)
    {
        this.settings = settings;
        Points = points;
        int f = settings.Features.Count;
        features = new float[points.Length * f];
        labels = new float[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            var p = points[i];
            for (int j = 0; j < f; j++) features[i * f + j] = settings.Features[j].Compute(p.X1, p.X2);
            labels[i] = p.Label;
        }
        All = new Dataset(Tensor.FromArray(features, new Shape(points.Length, f)), TargetTensor(0, points.Length), Classification ? settings.Classes : null);
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

    /// <summary>
    /// The points as CSV, in the form <c>backprop eval --data</c> reads: a column per input feature (named as the page
    /// names it), then the target; numbers written so that they read back as the same float32 values. The target is the
    /// class index, except for two classes learnt with squared error, where it is the −1 or +1 the loss compares with: a
    /// model file records only its loss, and <c>backprop eval</c> reads a one-output squared-error model as regression.
    /// </summary>
    public string Csv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', settings.Features.Select(InputFeatures.Label)).Append(",target\n");
        int f = settings.Features.Count;
        bool signs = Classification && settings.Loss is MSELoss;
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < f; j++) csv.Append(features[i * f + j].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            float target = signs ? 2 * labels[i] - 1 : labels[i];
            csv.Append(target.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    private bool Classification => settings.Problem == PlaygroundProblem.Classification;

    /// <summary>Class indices [n] for classification (as a data file's), values [n, 1] for regression.</summary>
    private Tensor TargetTensor(int start, int end) => Classification
        ? Tensor.FromArray(labels[start..end].Select(t => (long)t).ToArray())
        : Tensor.FromArray(labels[start..end], new Shape(end - start, 1));
}

using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// A text run's progress as plain lines: the loss and tokens per second about ten times over the run, and nanoGPT's
/// <c>step N: train loss X, val loss Y</c> at each evaluation.
/// </summary>
internal sealed class TextProgress(TextWriter output, int steps, int blockSize)
{
    private readonly int every = Math.Max(1, steps / 10);

    /// <summary>The lowest validation loss reported so far.</summary>
    public double BestValidationLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The training steps' throughput so far this run, evaluation apart, in tokens per second.</summary>
    public double TokensPerSecond { get; private set; }

    public void Step(BatchReport report)
    {
        TokensPerSecond = report.SamplesPerSecond * blockSize;
        if (report.Step % every != 0 && report.Step != steps) return;
        output.WriteLine($"step {report.Step}/{steps}: loss {report.Loss:F4}, {TokensPerSecond:N0} tokens/s");
    }

    public void Evaluated(TextEvaluationReport report)
    {
        BestValidationLoss = Math.Min(BestValidationLoss, report.ValidationLoss);
        output.WriteLine($"step {report.Step}: train loss {report.TrainLoss:F4}, val loss {report.ValidationLoss:F4}");
    }
}

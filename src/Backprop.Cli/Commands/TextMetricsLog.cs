using System.Globalization;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>A text run's evaluations as CSV (train --log on text): one line per evaluation, flushed as it is written.</summary>
internal sealed class TextMetricsLog : IDisposable
{
    private readonly StreamWriter writer;

    public TextMetricsLog(string path)
    {
        writer = new StreamWriter(path) { AutoFlush = true };
        writer.WriteLine("step,train_loss,val_loss");
    }

    public void Write(TextEvaluationReport report) =>
        writer.WriteLine(string.Join(',', report.Step.ToString(CultureInfo.InvariantCulture),
            report.TrainLoss.ToString("R", CultureInfo.InvariantCulture), report.ValidationLoss.ToString("R", CultureInfo.InvariantCulture)));

    public void Dispose() => writer.Dispose();
}

using System.Globalization;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>Per-epoch metrics as CSV (train --log): one line per epoch, flushed as it is written.</summary>
internal sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter writer;

    public MetricsLog(string path)
    {
        writer = new StreamWriter(path) { AutoFlush = true };
        writer.WriteLine("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second");
    }

    public void Write(EpochReport epoch)
    {
        string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        writer.WriteLine(string.Join(',', epoch.Epoch.ToString(CultureInfo.InvariantCulture), Format(epoch.TrainLoss), Format(epoch.TrainAccuracy),
            Format(epoch.Test?.Loss), Format(epoch.Test?.Accuracy), Format(epoch.Elapsed.TotalSeconds), Format(epoch.SamplesPerSecond)));
    }

    public void Dispose() => writer.Dispose();
}

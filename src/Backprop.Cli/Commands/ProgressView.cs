using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary>
/// Shows training progress: one line per epoch everywhere, and on an interactive terminal also a live bar for the
/// running epoch (Spectre.Console) with loss, accuracy and samples/s.
/// </summary>
internal static class ProgressView
{
    public static void Run(TextWriter output, Trainer trainer, int epochs, Action train)
    {
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!live)
        {
            trainer.EpochCompleted += epoch => output.WriteLine(EpochLine(epoch, epochs));
            train();
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"epoch 1/{epochs}");
                trainer.BatchCompleted += batch =>
                {
                    task.MaxValue = batch.BatchCount;
                    task.Value = batch.Batch;
                    if (batch.Batch % 20 == 0 || batch.Batch == batch.BatchCount)
                    {
                        string accuracy = batch.Accuracy is { } a ? $" acc {a:P1}" : "";
                        task.Description = Markup.Escape($"epoch {batch.Epoch}/{epochs} loss {batch.Loss:F4}{accuracy} {batch.SamplesPerSecond:F0}/s");
                    }
                };
                // Lines written through AnsiConsole appear above the live bar instead of tearing it.
                trainer.EpochCompleted += epoch =>
                {
                    AnsiConsole.WriteLine(EpochLine(epoch, epochs));
                    task.Value = 0;
                };
                train();
            });
    }

    private static string EpochLine(EpochReport epoch, int epochs)
    {
        string line = $"epoch {epoch.Epoch}/{epochs}: loss {epoch.TrainLoss:F4}";
        if (epoch.TrainAccuracy is { } accuracy) line += $", accuracy {accuracy:P2}";
        if (epoch.Test is { } test) line += $"; test loss {test.Loss:F4}" + (test.Accuracy is { } testAccuracy ? $", accuracy {testAccuracy:P2}" : "");
        return line + $"; {epoch.Elapsed.TotalSeconds:F1} s, {epoch.SamplesPerSecond:F0} samples/s";
    }
}

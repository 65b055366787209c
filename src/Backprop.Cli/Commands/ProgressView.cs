using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary>
/// Shows training progress: a live bar per epoch (Spectre.Console) on an interactive terminal, and one plain line per
/// epoch anywhere else (a pipe, a file, a test).
/// </summary>
internal static class ProgressView
{
    public static void Run(TextWriter output, Trainer trainer, int epochs, Action train)
    {
        trainer.EpochCompleted += epoch => output.WriteLine(EpochLine(epoch, epochs));
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!live)
        {
            train();
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                trainer.BatchCompleted += batch =>
                {
                    if (task is null || batch.Batch == 1) task = context.AddTask($"epoch {batch.Epoch}", maxValue: batch.BatchCount);
                    task.Value = batch.Batch;
                    if (batch.Batch % 20 == 0 || batch.Batch == batch.BatchCount)
                    {
                        string accuracy = batch.Accuracy is { } a ? $" acc {a:P1}" : "";
                        task.Description = Markup.Escape($"epoch {batch.Epoch}/{epochs} loss {batch.Loss:F4}{accuracy} {batch.SamplesPerSecond:F0}/s");
                    }
                };
                trainer.EpochCompleted += _ => task?.StopTask();
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

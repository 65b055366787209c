using System.CommandLine;
using Backprop.Data;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary><c>train --checkpoint DIR</c> and <c>--resume DIR</c>: where a run is saved after each epoch, and which saved run it continues.</summary>
internal sealed class CheckpointOptions
{
    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "Save a checkpoint (weights, optimizer state, epoch, generator) into this directory after each epoch" };

    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue the run checkpointed in this directory (same configuration), and keep checkpointing there" };

    public void AddTo(Command command)
    {
        command.Options.Add(Checkpoint);
        command.Options.Add(Resume);
    }

    /// <summary>
    /// With <c>--resume</c>, restores the model, the optimizer and the generator from the checkpoint (refused when
    /// <paramref name="configuration"/> differs from the one it was written by) and returns where training continues; with
    /// either option, saves a checkpoint after each whole epoch from then on when <paramref name="writes"/> (rank 0 of a
    /// distributed run, whose ranks all resume from the same checkpoint).
    /// </summary>
    public (int StartEpoch, int StepsTaken) Apply(ParseResult parsed, IReadOnlyDictionary<string, string> configuration, Trainer trainer,
        Optimizer optimizer, Generator generator, DataLoader loader, TextWriter output, bool writes)
    {
        var model = trainer.Model;
        int startEpoch = 1, stepsTaken = 0;
        if (parsed.GetValue(Resume) is { } resumeFrom)
        {
            var resumed = Training.Checkpoint.Resume(resumeFrom, configuration, model, optimizer);
            generator.SetState(resumed.GeneratorState);
            (startEpoch, stepsTaken) = (resumed.Epoch + 1, resumed.Step);
            output.WriteLine($"resuming from {Training.Checkpoint.PathIn(resumeFrom)}: epoch {resumed.Epoch} done, {resumed.Step} steps");
        }
        if (writes && (parsed.GetValue(Checkpoint) ?? parsed.GetValue(Resume)) is { } directory)
        {
            // Only whole epochs are checkpointed: a run cut short by --steps resumes from its last whole epoch.
            trainer.EpochCompleted += epoch =>
            {
                if (epoch.Step == epoch.Epoch * loader.BatchCount) new Training.Checkpoint(epoch.Epoch, epoch.Step, generator.GetState(), configuration).Save(directory, model, optimizer);
            };
        }
        return (startEpoch, stepsTaken);
    }
}

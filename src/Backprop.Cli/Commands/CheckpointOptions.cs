using System.CommandLine;
using Backprop.Data;
using Backprop.IO;
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
    /// With either option, a checkpoint after each epoch into its directory (a resumed run keeps checkpointing where it
    /// resumed from), recording <paramref name="configuration"/> beside the trainer's own entries; null without them.
    /// </summary>
    public CheckpointPolicy? Policy(ParseResult parsed, IReadOnlyDictionary<string, string> configuration) =>
        (parsed.GetValue(Checkpoint) ?? parsed.GetValue(Resume)) is { } directory ? new CheckpointPolicy(directory) { Configuration = configuration } : null;

    /// <summary>
    /// With <c>--resume</c>, restores the trainer's run and <paramref name="loader"/>'s shuffling from the checkpoint and says
    /// so. A checkpoint of another configuration is refused naming each difference by its option (<paramref name="flags"/>
    /// maps the configuration's keys to the options that set them; a key without one is named as it is).
    /// </summary>
    public void Apply(ParseResult parsed, Trainer trainer, DataLoader loader, TextWriter output, IReadOnlyDictionary<string, string> flags)
    {
        if (parsed.GetValue(Resume) is not { } directory) return;
        var resumed = ResumeWith(directory, flags, () => trainer.Resume(directory, loader));
        output.WriteLine($"resuming from {Training.Checkpoint.PathIn(directory)}: epoch {resumed.Epoch} done, {resumed.Step} steps");
    }

    /// <summary>Runs <paramref name="resume"/>, turning a refused checkpoint's differences into the options that set them.</summary>
    public Training.Checkpoint ResumeWith(string directory, IReadOnlyDictionary<string, string> flags, Func<Training.Checkpoint> resume)
    {
        try
        {
            return resume();
        }
        catch (CheckpointMismatchException e)
        {
            var differences = e.Differences.Select(d => d with { Key = flags.GetValueOrDefault(d.Key, d.Key) }).OrderBy(d => d.Key, StringComparer.Ordinal);
            throw new DataFileException(e.Path, $"was written by a different configuration: {string.Join("; ", differences)}");
        }
    }
}

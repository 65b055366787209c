using Backprop.Data;

namespace Backprop.Training;

/// <summary>
/// When and where a <see cref="Trainer"/> saves its run (<see cref="Trainer.Checkpoints"/>): a <see cref="Checkpoint"/> in
/// <see cref="Directory"/> after every <see cref="EveryEpochs"/>th whole epoch (an epoch cut short by a step limit is not
/// saved), so that <see cref="Trainer.Resume(string, DataLoader)"/> continues it exactly.
/// </summary>
/// <param name="Directory">Where the checkpoint file is written (created if needed); each checkpoint replaces the one before.</param>
public sealed record CheckpointPolicy(string Directory)
{
    /// <summary>Save after every this many epochs (1: after each).</summary>
    public int EveryEpochs
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentException($"checkpoint policy: every how many epochs must be at least 1, got {value}");
    } = 1;

    /// <summary>For a run counted in steps (a text run, which has no epochs): save after every this many steps, and at the end.</summary>
    public int EverySteps
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentException($"checkpoint policy: every how many steps must be at least 1, got {value}");
    } = 1000;

    /// <summary>
    /// What decides the run that the trainer cannot see for itself (where the data came from, the seed that made the
    /// initial weights, the network's architecture…), recorded beside the trainer's own entries (the loss, the optimizer
    /// and its hyperparameters, the batch size…; on a key of both, the trainer's entry is recorded) and compared with them on
    /// resume.
    /// </summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();
}

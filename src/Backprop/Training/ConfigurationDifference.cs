namespace Backprop.Training;

/// <summary>One entry of a run's configuration that differs between a checkpoint and the run resuming it (null: not set).</summary>
public sealed record ConfigurationDifference(string Key, string? InCheckpoint, string? Now)
{
    /// <summary>"lr is 0.01 in the checkpoint, 0.05 now".</summary>
    public override string ToString() => $"{Key} is {InCheckpoint ?? "(not set)"} in the checkpoint, {Now ?? "(not set)"} now";
}

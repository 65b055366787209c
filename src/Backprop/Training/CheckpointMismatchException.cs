namespace Backprop.Training;

/// <summary>
/// A checkpoint was written by a run configured otherwise than the one resuming it: continuing would not be the same run.
/// <see cref="Differences"/> lists each entry that differs, so a caller can name them in its own words.
/// </summary>
public sealed class CheckpointMismatchException(string path, IReadOnlyList<ConfigurationDifference> differences)
    : IOException($"{path}: was written by a different configuration: {string.Join("; ", differences)}")
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;

    /// <summary>What differs, by key.</summary>
    public IReadOnlyList<ConfigurationDifference> Differences { get; } = differences;
}

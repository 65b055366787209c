namespace Backprop.Data;

/// <summary>
/// The examples in a new random order each epoch (PyTorch's <c>RandomSampler</c>): a Fisher–Yates shuffle of 0 to
/// count − 1 drawn from <paramref name="generator"/>, whose state, saved in a checkpoint, resumes the same sequence.
/// </summary>
public sealed class RandomSampler(int count, Generator generator) : Sampler
{
    /// <inheritdoc/>
    public override int Count { get; } = count >= 0 ? count : throw new ArgumentException($"sampler: count must be zero or more, got {count}");

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        var order = Enumerable.Range(0, Count).ToArray();
        generator.Shuffle<int>(order);
        return ((IEnumerable<int>)order).GetEnumerator();
    }
}

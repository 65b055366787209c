namespace Backprop.Data;

/// <summary>
/// The examples in a new random order each epoch (PyTorch's <c>RandomSampler</c>): a Fisher–Yates shuffle of 0 to
/// count − 1 drawn from <paramref name="generator"/>, whose state, saved in a checkpoint, resumes the same sequence.
/// </summary>
public sealed class RandomSampler(int count, Generator generator) : Sampler
{
    /// <inheritdoc/>
    public override int Count { get; } = count >= 0 ? count : throw new ArgumentException($"sampler: count must be zero or more, got {count}");

    /// <summary>The generator each epoch's order is drawn from (a checkpoint saves and restores its state).</summary>
    public Generator Generator { get; } = generator;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        var order = Enumerable.Range(0, Count).ToArray();
        Generator.Shuffle<int>(order);
        return ((IEnumerable<int>)order).GetEnumerator();
    }
}

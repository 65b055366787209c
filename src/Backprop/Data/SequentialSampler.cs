namespace Backprop.Data;

/// <summary>The examples in file order, 0 to count − 1, every epoch (PyTorch's <c>SequentialSampler</c>).</summary>
public sealed class SequentialSampler(int count) : Sampler
{
    /// <inheritdoc/>
    public override int Count { get; } = count >= 0 ? count : throw new ArgumentException($"sampler: count must be zero or more, got {count}");

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator() => Enumerable.Range(0, Count).GetEnumerator();
}

using Backprop.Data;

namespace Backprop.Distributed;

/// <summary>
/// Rank <paramref name="rank"/>'s examples for a sharded evaluation: rank, rank + worldSize, … below the count. Unlike
/// <see cref="DistributedSampler"/> it never pads, so that over all ranks every example counts exactly once.
/// </summary>
internal sealed class ShardSampler(int datasetCount, int worldSize, int rank) : Sampler
{
    /// <inheritdoc/>
    public override int Count => Math.Max(0, (datasetCount - rank + worldSize - 1) / worldSize);

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        for (int example = rank; example < datasetCount; example += worldSize) yield return example;
    }
}

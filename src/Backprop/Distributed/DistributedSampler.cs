using Backprop.Data;

namespace Backprop.Distributed;

/// <summary>
/// One rank's share of each epoch, exactly as PyTorch's <c>DistributedSampler</c> cuts it: the epoch's order is
/// 0 to count − 1, shuffled (when <see cref="Shuffle"/>) by a generator seeded with seed + epoch, so every rank draws the
/// same order without talking to the others; it is padded to a multiple of the world size by repeating indices from its
/// start (or, with dropLast, cut to one), and rank r takes positions r, r + worldSize, r + 2·worldSize… The shares are
/// disjoint and equal in size. Call <see cref="SetEpoch"/> before each epoch (the <see cref="Training.Trainer"/> does),
/// or every epoch repeats the same order. The permutation is Backprop's <see cref="Generator"/>'s, not torch's randperm.
/// </summary>
public sealed class DistributedSampler : Sampler
{
    private readonly int datasetCount;
    private readonly ulong seed;

    /// <summary>
    /// Rank <paramref name="rank"/>'s share of a data set of <paramref name="datasetCount"/> examples split over
    /// <paramref name="worldSize"/> ranks; shuffled each epoch from <paramref name="seed"/> when <paramref name="shuffle"/>;
    /// with <paramref name="dropLast"/>, the last examples are left out rather than repeated to share evenly.
    /// </summary>
    public DistributedSampler(int datasetCount, int worldSize, int rank, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        if (datasetCount < 0) throw new ArgumentException($"distributed sampler: the data set's count must be zero or more, got {datasetCount}");
        if (worldSize < 1) throw new ArgumentException($"distributed sampler: the world size must be at least 1, got {worldSize}");
        if ((uint)rank >= (uint)worldSize) throw new ArgumentException($"distributed sampler: rank {rank} is not in [0, {worldSize - 1}]");
        this.datasetCount = datasetCount;
        this.seed = seed;
        WorldSize = worldSize;
        Rank = rank;
        Shuffle = shuffle;
        // PyTorch: ceil(count / world) when padding; ceil((count − world) / world), which is count / world rounded down, when dropping.
        Count = dropLast ? datasetCount / worldSize : (datasetCount + worldSize - 1) / worldSize;
    }

    /// <summary>The number of ranks the data set is shared between.</summary>
    public int WorldSize { get; }

    /// <summary>The rank whose share this is.</summary>
    public int Rank { get; }

    /// <summary>Whether each epoch's order is a fresh permutation (seeded with seed + epoch).</summary>
    public bool Shuffle { get; }

    /// <summary>The epoch whose order the next enumeration gives (0 until <see cref="SetEpoch"/>).</summary>
    public int Epoch { get; private set; }

    /// <summary>Indices per epoch for this rank: the same on every rank.</summary>
    public override int Count { get; }

    /// <summary>Makes the next enumeration give <paramref name="epoch"/>'s order (PyTorch's <c>set_epoch</c>).</summary>
    public void SetEpoch(int epoch) => Epoch = epoch;

    /// <inheritdoc/>
    public override IEnumerator<int> GetEnumerator()
    {
        var order = Enumerable.Range(0, datasetCount).ToArray();
        if (Shuffle) new Generator(seed + (ulong)Epoch).Shuffle<int>(order);
        // Position p of the padded order is order[p mod count]: padding repeats the order from its start, cyclically when
        // it needs more than the whole order again (PyTorch's two cases). This rank takes positions rank, rank + world, …
        for (int k = 0; k < Count; k++) yield return order[(Rank + k * WorldSize) % datasetCount];
    }
}

using Backprop.Data;

namespace Backprop.Tests.Data;

public class DataLoaderTests
{
    private static Dataset Numbered(int count) =>
        new(Tensor.Arange(0, count).Reshape(count, 1), Tensor.Arange(0, count), classCount: count);

    [Fact]
    public void BatchesInFileOrderKeepTheLastPartialBatch()
    {
        var batches = new DataLoader(Numbered(10), batchSize: 4).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Targets.Count));
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7, 8, 9], batches.SelectMany(b => b.Targets.ToFloatArray()));
        Assert.Equal(new Shape(2, 1), batches[^1].Features.Shape);
        Assert.Equal(3, new DataLoader(Numbered(10), 4).BatchCount);
    }

    [Fact]
    public void ShuffleIsSeededAPermutationAndNewEachEpoch()
    {
        var data = Numbered(50);
        var loader = new DataLoader(data, 8, shuffle: true, new Generator(3));
        var epoch1 = loader.SelectMany(b => b.Targets.ToFloatArray()).ToArray();
        var epoch2 = loader.SelectMany(b => b.Targets.ToFloatArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), epoch1.Order());
        Assert.NotEqual(epoch1, epoch2);
        var again = new DataLoader(data, 8, shuffle: true, new Generator(3)).SelectMany(b => b.Targets.ToFloatArray());
        Assert.Equal(epoch1, again);
        // features travel with their targets
        Assert.All(loader, b => Assert.Equal(b.Targets.ToFloatArray(), b.Features.ToFloatArray()));
    }

    [Fact]
    public void BatchSizeMustBePositive() =>
        Assert.Equal("dataloader: batch size must be at least 1, got 0", Assert.Throws<ArgumentException>(() => new DataLoader(Numbered(3), 0)).Message);
}

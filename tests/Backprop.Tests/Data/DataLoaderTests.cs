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

    [Fact]
    public void BatchesKeepEachExamplesShape()
    {
        // Six "images" [1, 2, 3] whose values are 100 × example + position, and targets [N, 2].
        var features = Tensor.FromArray(Enumerable.Range(0, 6 * 6).Select(v => (float)(v / 6 * 100 + v % 6)).ToArray(), [6, 1, 2, 3]);
        var targets = Tensor.FromArray(Enumerable.Range(0, 12).Select(v => (float)v).ToArray(), [6, 2]);
        var data = new Dataset(features, targets);
        Assert.Equal(new Shape(1, 2, 3), data.ExampleShape);
        Assert.Equal(6, data.FeatureCount);

        var batches = new DataLoader(data, 4, shuffle: true, new Generator(1)).ToList();
        Assert.Equal([new Shape(4, 1, 2, 3), new Shape(2, 1, 2, 3)], batches.Select(b => b.Features.Shape));
        Assert.Equal([new Shape(4, 2), new Shape(2, 2)], batches.Select(b => b.Targets.Shape));
        foreach (var batch in batches)
        {
            var x = batch.Features.ToFloatArray();
            var y = batch.Targets.ToFloatArray();
            for (int i = 0; i < batch.Features.Shape[0]; i++)
            {
                int example = (int)(x[i * 6] / 100); // each example whole, with its own targets
                Assert.Equal(Enumerable.Range(0, 6).Select(p => (float)(example * 100 + p)), x[(i * 6)..((i + 1) * 6)]);
                Assert.Equal([2f * example, 2f * example + 1], y[(i * 2)..((i + 1) * 2)]);
            }
        }
    }

    [Fact]
    public void FlattenGivesRowsSharingTheValues()
    {
        var data = new Dataset(Tensor.Arange(0, 12).Reshape(3, 1, 2, 2), Tensor.Arange(0, 3), classCount: 3, source: "images");
        var rows = data.Flatten();
        Assert.Equal(new Shape(3, 4), rows.Features.Shape);
        Assert.Equal(data.Features.ToFloatArray(), rows.Features.ToFloatArray());
        Assert.Equal((3, "images"), (rows.ClassCount, rows.Source));
        Assert.Same(rows, rows.Flatten());
    }

    [Fact]
    public void ASamplerIndexOutsideTheData_IsRefused()
    {
        var loader = new DataLoader(Numbered(10), 4, new SequentialSampler(11));
        Assert.Equal("dataloader: the sampler gives example 10, but the data set has 10", Assert.Throws<ArgumentException>(() => loader.ToList()).Message);
    }
}

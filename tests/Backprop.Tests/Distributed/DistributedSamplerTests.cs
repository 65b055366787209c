using Backprop.Data;
using Backprop.Distributed;
using Backprop.Losses;
using Backprop.Optim;
using Backprop.Tests.Training;
using Backprop.Training;

namespace Backprop.Tests.Distributed;

/// <summary>
/// DistributedSampler against PyTorch's torch/utils/data/distributed.py: the expected indices are worked out by hand from
/// its rules (num_samples = ceil(n / world), or n / world rounded down with drop_last; the order padded with its own start
/// to num_samples · world; rank r takes indices[r::world]).
/// </summary>
public class DistributedSamplerTests
{
    private static int[][] Shares(int count, int world, bool dropLast = false) =>
        [.. Enumerable.Range(0, world).Select(rank => new DistributedSampler(count, world, rank, shuffle: false, dropLast: dropLast).ToArray())];

    [Fact]
    public void TenOverThree_PadsWithTheFirstIndices()
    {
        // num_samples 4, total 12: 0..9 then 0, 1.
        Assert.Equal([[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]], Shares(10, 3));
    }

    [Fact]
    public void TenOverThree_WithDropLast_LeavesTheTailOut()
    {
        // num_samples ceil((10 - 3) / 3) = 3, total 9: 0..8.
        Assert.Equal([[0, 3, 6], [1, 4, 7], [2, 5, 8]], Shares(10, 3, dropLast: true));
    }

    [Fact]
    public void TwoOverFive_RepeatsTheWholeOrderAsOftenAsNeeded()
    {
        // num_samples 1, total 5: padding 3 > 2, so ([0, 1] * ceil(3 / 2))[:3] = [0, 1, 0] follows 0, 1.
        Assert.Equal([[0], [1], [0], [1], [0]], Shares(2, 5));
    }

    [Fact]
    public void EightOverTwo_IsEvenAndOdd() => Assert.Equal([[0, 2, 4, 6], [1, 3, 5, 7]], Shares(8, 2));

    [Fact]
    public void Shuffled_SharesAreDisjointAndTheOrderDependsOnSeedPlusEpoch()
    {
        DistributedSampler Sampler(int rank, ulong seed, int epoch)
        {
            var sampler = new DistributedSampler(12, 3, rank, shuffle: true, seed: seed);
            sampler.SetEpoch(epoch);
            return sampler;
        }
        var shares = Enumerable.Range(0, 3).Select(rank => Sampler(rank, 5, 2).ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 12), shares.SelectMany(s => s).Order());
        // One permutation from Generator(seed + epoch), cut rank by rank.
        var order = Enumerable.Range(0, 12).ToArray();
        new Generator(7).Shuffle<int>(order);
        Assert.Equal(order.Where((_, i) => i % 3 == 1), shares[1]);
        Assert.Equal(shares[1], Sampler(1, 6, 1).ToArray()); // 6 + 1 = 5 + 2
        Assert.NotEqual(shares[1], Sampler(1, 5, 3).ToArray());
        Assert.Equal(4, Sampler(0, 0, 0).Count);
    }

    [Fact]
    public void DataLoader_BatchesARanksShare()
    {
        var data = new Dataset(Tensor.Arange(0, 10).Reshape(10, 1), Tensor.Arange(0, 10), classCount: 10);
        var loader = new DataLoader(data, 3, new DistributedSampler(10, 3, 1, shuffle: false));
        Assert.Equal(2, loader.BatchCount);
        Assert.Equal([1f, 4, 7, 0], loader.SelectMany(b => b.Targets.ToFloatArray()));
    }

    [Fact]
    public void Trainer_SetsTheSamplersEpochBeforeEachEpoch()
    {
        var data = TrainerTests.Blobs(1, count: 30);
        var model = ModelDescription.Mlp([2, 4, 3], Backprop.NN.Activation.Tanh, new CrossEntropyLoss()).Build(new Generator(1));
        var sampler = new DistributedSampler(data.Count, 2, 0);
        var seen = new List<int>();
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1));
        trainer.EpochCompleted += _ => seen.Add(sampler.Epoch);
        trainer.Fit(new DataLoader(data, 5, sampler), epochs: 3);
        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void RankOutsideTheWorld_IsRefused() =>
        Assert.Equal("distributed sampler: rank 2 is not in [0, 1]", Assert.Throws<ArgumentException>(() => new DistributedSampler(4, 2, 2)).Message);
}

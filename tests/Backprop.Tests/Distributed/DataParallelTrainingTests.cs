using System.Globalization;
using Backprop.IO;
using Backprop.MpiTestApp;

namespace Backprop.Tests.Distributed;

/// <summary>
/// Data-parallel training on two ranks (tests/Backprop.MpiTestApp's <see cref="TrainingScenarios"/>, every case in one
/// <c>mpirun -np 2</c> job): both ranks end with the same weights, within 1e-5 of one process taking batches of 64 over the
/// same examples, for SGD with momentum and Adam on an MLP and a conv net; with BatchNorm, each rank matches its definition
/// (its own batch statistics, averaged gradients).
/// </summary>
[Trait("Category", "Mpi")]
public class DataParallelTrainingTests(DataParallelTrainingTests.TwoRanks job) : IClassFixture<DataParallelTrainingTests.TwoRanks>
{
    /// <summary>Runs the job once for the class and loads what each rank wrote.</summary>
    public sealed class TwoRanks : IDisposable
    {
        private readonly TempDirectory folder = new();

        public TwoRanks()
        {
            if (!Mpirun.IsInstalled) return; // each test then skips
            var (code, output, error, _) = Mpirun.Run(2, ["train", folder.Path]);
            Assert.True(code == 0, output + error);
        }

        public SafetensorsContent Rank(string name, int rank)
        {
            Mpirun.SkipUnlessInstalled();
            return Safetensors.Load(Path.Combine(folder.Path, $"{name}.rank{rank}.safetensors"));
        }

        public void Dispose() => folder.Dispose();
    }

    public static TheoryData<string> WithoutBatchNorm() => ["mlp-sgd", "mlp-adam", "conv-sgd", "conv-adam"];

    [SkippableTheory]
    [MemberData(nameof(WithoutBatchNorm))]
    public void TwoRanksOf32_MatchOneProcessOf64(string name)
    {
        var rank0 = job.Rank(name, 0);
        var rank1 = job.Rank(name, 1);
        var (reference, results) = TrainingScenarios.Reference(name);
        Assert.True(int.Parse(rank0.Metadata["buckets"], CultureInfo.InvariantCulture) > 1, "the gradients should be averaged in several buckets");
        foreach (var (key, expected) in reference)
        {
            var values0 = Tensors(rank0, key);
            Assert.Equal(values0, Tensors(rank1, key)); // the same step on both ranks: bit for bit
            Assert.Equal(expected.ToFloatArray(), values0, (a, b) => Math.Abs(a - b) <= 1e-5);
        }
        // The epoch's loss is the job's, and the evaluation (sharded over the ranks) is the whole set's.
        foreach (var key in (string[])["train_loss", "test_loss", "test_accuracy"])
        {
            Assert.Equal(double.Parse(results[key], CultureInfo.InvariantCulture), double.Parse(rank0.Metadata[key], CultureInfo.InvariantCulture), 1e-5);
        }
    }

    [SkippableFact]
    public void BatchNorm_EachRankNormalisesByItsOwnBatch()
    {
        var expected = TrainingScenarios.PerRankBatchNorm("batchnorm-sgd");
        for (int rank = 0; rank < 2; rank++)
        {
            var actual = job.Rank("batchnorm-sgd", rank);
            foreach (var (key, value) in expected[rank])
            {
                Assert.Equal(value.ToFloatArray(), Tensors(actual, key), (a, b) => Math.Abs(a - b) <= 1e-5);
            }
        }
        // The weights are shared, the running statistics are each rank's own.
        Assert.Equal(Tensors(job.Rank("batchnorm-sgd", 0), "1.weight"), Tensors(job.Rank("batchnorm-sgd", 1), "1.weight"));
        Assert.NotEqual(Tensors(job.Rank("batchnorm-sgd", 0), "1.running_mean"), Tensors(job.Rank("batchnorm-sgd", 1), "1.running_mean"));
    }

    private static float[] Tensors(SafetensorsContent content, string key) => content.Tensors[key].ToFloatArray();
}

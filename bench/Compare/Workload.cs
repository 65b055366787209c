using Backprop;
using Backprop.Data;
using Backprop.NN;

namespace Compare;

/// <summary>
/// One network configuration (its architecture text, which both sides build layer by layer), its data (whole, and its first
/// batches cut in file order), the optimizer, and the initial weights both sides start from: made once by Backprop from a
/// seed and copied into libtorch's parameters by their state-dict names (<c>0.weight</c>, <c>3.bias</c>, …), so both start
/// identical.
/// </summary>
internal sealed record Workload(
    string Name, Architecture Architecture, int[] ExampleShape, int BatchSize, OptimizerChoice Optimizer,
    List<(float[] X, long[] Y)> Batches, Dataset Train, Dataset Test, List<(string Name, float[] Values, long[] Shape)> InitialWeights)
{
    /// <summary>
    /// The workload of <paramref name="architecture"/> on <paramref name="train"/>'s examples as they are shaped there; the first
    /// <paramref name="maxBatches"/> batches in file order (all by default), initial weights from <paramref name="seed"/>.
    /// </summary>
    public static Workload Create(string name, Architecture architecture, int batchSize, OptimizerChoice optimizer, Dataset train, Dataset test, ulong seed, int maxBatches = int.MaxValue)
    {
        var batches = new DataLoader(train, batchSize).Take(maxBatches)
            .Select(b => (b.Features.ToFloatArray(), b.Targets.ToFloatArray().Select(v => (long)v).ToArray())).ToList();
        var model = architecture.Build(new Generator(seed));
        var weights = model.NamedParameters().Select(p => (p.Key, p.Value.ToFloatArray(), p.Value.Shape.Select(d => (long)d).ToArray())).ToList();
        return new Workload(name, architecture, [.. train.ExampleShape], batchSize, optimizer, batches, train, test, weights);
    }

    /// <summary>Every example in the batches.</summary>
    public int Samples => Batches.Sum(b => b.Y.Length);

    /// <summary>The values in one example.</summary>
    public int FeatureCount => ExampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>The shape of a batch of <paramref name="count"/> examples.</summary>
    public int[] BatchShape(int count) => [count, .. ExampleShape];
}

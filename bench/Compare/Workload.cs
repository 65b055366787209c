using Backprop;
using Backprop.Data;

namespace Compare;

/// <summary>One network configuration, its data cut into batches in file order, and the initial weights both sides start from.</summary>
internal sealed record Workload(string Name, int[] Layers, int BatchSize, List<(float[] X, long[] Y)> Batches, Dataset Test, List<(string Name, float[] Values, long[] Shape)> InitialWeights)
{
    public static Workload Create(string name, int[] layers, int batchSize, Dataset train, Dataset test, ulong seed)
    {
        var batches = new DataLoader(train, batchSize).Select(b => (b.Features.ToFloatArray(), b.Targets.ToFloatArray().Select(v => (long)v).ToArray())).ToList();
        var model = new Backprop.Training.ModelSpec(layers, Backprop.NN.Activation.ReLU, Backprop.Training.LossKind.CrossEntropy).Build(new Generator(seed));
        var weights = model.NamedParameters().Select(p => (p.Key, p.Value.ToFloatArray(), p.Value.Shape.Select(d => (long)d).ToArray())).ToList();
        return new Workload(name, layers, batchSize, batches, test, weights);
    }

    public int Samples => Batches.Sum(b => b.Y.Length);
}

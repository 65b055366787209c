using Backprop.Data;
using Backprop.NN;

namespace Compare;

/// <summary>
/// One MLP of the MNIST comparison: ReLU between its Linear layers, plain SGD (lr 0.1), images flattened to rows, initial
/// weights from seed 1. Declared once here for both the in-process table (<see cref="OneProcess"/>) and the separate-process
/// workloads (<see cref="SeparateWorkload"/>), so that both train exactly the same networks on the same batches.
/// </summary>
internal sealed record MlpConfiguration(string Title, int[] Layers, int BatchSize)
{
    public const double LearningRate = 0.1;

    public static readonly MlpConfiguration Batch64 = new("MLP 784-128-10, batch 64", [784, 128, 10], 64);
    public static readonly MlpConfiguration Batch256 = new("MLP 784-128-10, batch 256", [784, 128, 10], 256);
    public static readonly MlpConfiguration Wide = new("MLP 784-512-512-10, batch 128", [784, 512, 512, 10], 128);

    /// <summary>The trained configurations, in the order of the tables.</summary>
    public static readonly MlpConfiguration[] Trained = [Batch64, Batch256, Wide];

    /// <summary>The network of single-sample inference: 784-128-10, one example at a time.</summary>
    public static readonly MlpConfiguration Inference = new("MLP 784-128-10, one sample", [784, 128, 10], 1);

    /// <summary>The workload of this network on the first <paramref name="maxBatches"/> batches of <paramref name="train"/> in file order.</summary>
    public Workload Create(Dataset train, Dataset test, int maxBatches = int.MaxValue) =>
        Workload.Create(Title, Architecture.Mlp(Layers, Activation.ReLU), BatchSize, OptimizerChoice.Sgd(LearningRate), train.Flatten(), test.Flatten(),
            seed: 1, maxBatches);
}

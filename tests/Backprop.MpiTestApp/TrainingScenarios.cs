using System.Globalization;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.MpiTestApp;

/// <summary>
/// Data-parallel training against its definition. Each case trains two epochs over 128 examples: under mpirun, each
/// rank takes batches of 32 from its <see cref="DistributedSampler"/> share; the reference is one process taking batches
/// of 64 from the same sampler for a world of one, whose order is the same permutation, so that step k sees the union of
/// the ranks' step-k batches. Rank 1 builds its model from another seed, so that only the broadcast makes it rank 0's.
/// </summary>
public static class TrainingScenarios
{
    /// <summary>Examples per epoch (two steps of 64).</summary>
    public const int Examples = 128;

    /// <summary>The cases: the model's architecture, each example's shape and the optimizer.</summary>
    public static readonly IReadOnlyDictionary<string, (string Architecture, int[] Example, Func<Module, Optimizer> Optimizer)> Cases =
        new Dictionary<string, (string, int[], Func<Module, Optimizer>)>
        {
            ["mlp-sgd"] = ("Linear(8, 16), Tanh(), Linear(16, 3)", [8], Momentum),
            ["mlp-adam"] = ("Linear(8, 16), Tanh(), Linear(16, 3)", [8], Adam),
            ["conv-sgd"] = ("Conv2d(1, 4, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(64, 3)", [1, 8, 8], Momentum),
            ["conv-adam"] = ("Conv2d(1, 4, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(64, 3)", [1, 8, 8], Adam),
            ["batchnorm-sgd"] = ("Conv2d(1, 4, 3, padding=1), BatchNorm2d(4), ReLU(), Flatten(), Linear(256, 3)", [1, 8, 8], Momentum),
        };

    /// <summary>Small buckets, so that every case averages its gradients in several all-reduces started during backward.</summary>
    public const int BucketBytes = 256;

    private const ulong ShuffleSeed = 3;

    private static Optimizer Momentum(Module model) => new Sgd(model.Parameters(), 0.1, momentum: 0.9);

    private static Optimizer Adam(Module model) => new Adam(model.Parameters(), 0.01);

    /// <summary>128 examples of <paramref name="shape"/> with normal features and three classes.</summary>
    public static Dataset Data(int[] shape)
    {
        var g = new Generator(11);
        int width = shape.Aggregate(1, (a, b) => a * b);
        var features = new float[Examples * width];
        for (int i = 0; i < features.Length; i++) features[i] = (float)g.NextNormal();
        var targets = Enumerable.Range(0, Examples).Select(i => (float)(i % 3)).ToArray();
        return new Dataset(Tensor.FromArray(features, [Examples, .. shape]), Tensor.FromArray(targets), classCount: 3);
    }

    /// <summary>The model of <paramref name="name"/>, its trainer and the loader of rank <paramref name="rank"/> of <paramref name="world"/>.</summary>
    public static (Trainer Trainer, DataLoader Loader) Setup(string name, int world, int rank, int batchSize, ulong modelSeed, DistributedDataParallel? ddp = null, ProcessGroup? group = null)
    {
        var (architecture, example, optimizer) = Cases[name];
        var model = Architecture.Parse(architecture).Build(new Generator(modelSeed));
        if (group is not null) ddp = new DistributedDataParallel(model, group, BucketBytes);
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer(model)) { Distributed = ddp };
        return (trainer, new DataLoader(Data(example), batchSize, new DistributedSampler(Examples, world, rank, shuffle: true, seed: ShuffleSeed)));
    }

    /// <summary>
    /// Trains <paramref name="name"/> for two epochs and returns its state dict, with the last epoch's training loss and,
    /// when evaluated, the evaluation of the training set (BatchNorm's case is not: its ranks keep their own statistics).
    /// </summary>
    public static (OrderedDictionary<string, Tensor> State, Dictionary<string, string> Results) Train(Trainer trainer, DataLoader loader, string name)
    {
        var results = new Dictionary<string, string>();
        trainer.EpochCompleted += report => results["train_loss"] = report.TrainLoss.ToString("R", CultureInfo.InvariantCulture);
        var test = name.StartsWith("batchnorm", StringComparison.Ordinal) ? null : Data(Cases[name].Example);
        trainer.Fit(loader, epochs: 2, test: test);
        if (test is not null)
        {
            var evaluation = trainer.Evaluate(test);
            results["test_loss"] = evaluation.Loss.ToString("R", CultureInfo.InvariantCulture);
            results["test_accuracy"] = evaluation.Accuracy!.Value.ToString("R", CultureInfo.InvariantCulture);
        }
        return (trainer.Model.StateDict(), results);
    }

    /// <summary>One process, batches of 64: the reference for every case without BatchNorm.</summary>
    public static (OrderedDictionary<string, Tensor> State, Dictionary<string, string> Results) Reference(string name)
    {
        var (trainer, loader) = Setup(name, world: 1, rank: 0, batchSize: 64, modelSeed: 1);
        return Train(trainer, loader, name);
    }

    /// <summary>
    /// BatchNorm's definition under data parallelism, in one process: two copies of the model, each normalising its own
    /// rank's batch of 32 by that batch's statistics and keeping its own running statistics, both stepped with the average
    /// of their two gradients. Returns each copy's state dict (rank 0's, rank 1's).
    /// </summary>
    public static OrderedDictionary<string, Tensor>[] PerRankBatchNorm(string name)
    {
        var ranks = Enumerable.Range(0, 2).Select(rank => Setup(name, world: 2, rank, batchSize: 32, modelSeed: 1)).ToArray();
        var parameters = ranks.Select(r => r.Trainer.Model.Parameters().ToArray()).ToArray();
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            foreach (var (_, loader) in ranks) ((DistributedSampler)loader.Sampler).SetEpoch(epoch);
            foreach (var (batch0, batch1) in ranks[0].Loader.Zip(ranks[1].Loader))
            {
                foreach (var ((trainer, _), batch) in ranks.Zip([batch0, batch1]))
                {
                    trainer.Optimizer.ZeroGrad();
                    trainer.Loss.Forward(trainer.Model.Forward(batch.Features), batch.Targets).Backward();
                }
                for (int i = 0; i < parameters[0].Length; i++)
                {
                    using var _ = new Autograd.NoGrad();
                    var average = (parameters[0][i].Grad! + parameters[1][i].Grad!) / 2;
                    parameters[0][i].Grad = average;
                    parameters[1][i].Grad = average.Clone();
                }
                foreach (var (trainer, _) in ranks) trainer.Optimizer.Step();
            }
        }
        return [.. ranks.Select(r => r.Trainer.Model.StateDict())];
    }

    /// <summary>Under mpirun: every case on this rank, each rank's state dict and results written to <paramref name="folder"/>.</summary>
    public static int Distributed(string folder)
    {
        using var group = ProcessGroup.Initialize();
        foreach (var name in Cases.Keys)
        {
            var (trainer, loader) = Setup(name, group.WorldSize, group.Rank, batchSize: 32, modelSeed: 1 + (ulong)group.Rank, group: group);
            var (state, results) = Train(trainer, loader, name);
            results["buckets"] = trainer.Distributed!.BucketCount.ToString(CultureInfo.InvariantCulture);
            Safetensors.Save(Path.Combine(folder, $"{name}.rank{group.Rank}.safetensors"), state, results);
            trainer.Distributed.Dispose();
        }
        return 0;
    }

    /// <summary>
    /// Rank 0 saves the model after each epoch; rank 1 is killed (SIGKILL) at the first step of epoch 2, while rank 0
    /// waits for it in the gradients' all-reduce. Open MPI must end the job, naming rank 1, and the file must be epoch 1's.
    /// </summary>
    public static int RankDiesMidEpoch(string folder)
    {
        using var group = ProcessGroup.Initialize();
        var (trainer, loader) = Setup("mlp-sgd", group.WorldSize, group.Rank, batchSize: 8, modelSeed: 1, group: group);
        if (group.Rank == 0)
        {
            trainer.EpochCompleted += report => Safetensors.Save(Path.Combine(folder, "model.safetensors"), trainer.Model.StateDict(),
                new Dictionary<string, string> { ["epoch"] = report.Epoch.ToString(CultureInfo.InvariantCulture) });
        }
        else
        {
            trainer.BatchCompleted += report => { if (report.Epoch == 2) System.Diagnostics.Process.GetCurrentProcess().Kill(); };
        }
        trainer.Fit(loader, epochs: 5);
        return 0;
    }
}

using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>The trainer's own checkpointing: a <see cref="CheckpointPolicy"/> saves the run, <see cref="Trainer.Resume"/> continues it.</summary>
public class TrainerCheckpointTests
{
    private static readonly ModelDescription Spec = ModelDescription.Mlp([2, 8, 3], Activation.Tanh, new CrossEntropyLoss());

    /// <summary>A run of the blobs (150 examples in batches of 16: 10 batches an epoch) with SGD and momentum, checkpointed into <paramref name="directory"/>.</summary>
    private static (Trainer Trainer, DataLoader Loader) Run(string directory, double lr = 0.1, int batchSize = 16, int everyEpochs = 1)
    {
        var generator = new Generator(5);
        var model = Spec.Build(generator);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), lr, momentum: 0.9))
        {
            Checkpoints = new CheckpointPolicy(directory) { EveryEpochs = everyEpochs, Configuration = new Dictionary<string, string> { ["data"] = "blobs 7" } },
        };
        return (trainer, new DataLoader(TrainerTests.Blobs(7), batchSize, shuffle: true, generator));
    }

    private static float[] Weights(Trainer trainer) => [.. trainer.Model.Parameters().SelectMany(p => p.ToFloatArray())];

    private static IReadOnlyDictionary<string, string> Metadata(string directory) => Safetensors.Load(Checkpoint.PathIn(directory)).Metadata;

    [Fact]
    public void AnInterruptedRunResumedEndsWithTheWeightsOfAnUninterruptedOne()
    {
        using var dir = new TempDirectory();
        var (uninterrupted, loader) = Run(dir.File("a"));
        Assert.Equal(40, uninterrupted.Fit(loader, epochs: 4));

        // Stopped 3 steps into epoch 3: only the two whole epochs are saved.
        var (interrupted, interruptedLoader) = Run(dir.File("b"));
        Assert.Equal(23, interrupted.Fit(interruptedLoader, epochs: 4, maxSteps: 23));
        Assert.Equal("2", Metadata(dir.File("b"))["backprop.checkpoint.epoch"]);

        var (resumed, resumedLoader) = Run(dir.File("b"));
        var checkpoint = resumed.Resume(dir.File("b"), resumedLoader);
        Assert.Equal((2, 20), (checkpoint.Epoch, checkpoint.Step));
        var epochs = new List<int>();
        resumed.EpochCompleted += e => epochs.Add(e.Epoch);
        Assert.Equal(40, resumed.Fit(resumedLoader, epochs: 4));

        Assert.Equal([3, 4], epochs);
        Assert.Equal(Weights(uninterrupted), Weights(resumed));
        // The optimizer's momentum buffers and the shuffling generator went on the same way too.
        Assert.Equal(File.ReadAllBytes(Checkpoint.PathIn(dir.File("a"))), File.ReadAllBytes(Checkpoint.PathIn(dir.File("b"))));
    }

    [Fact]
    public void ACheckpointRecordsTheRunsConfigurationUnderTheLibrarysNames()
    {
        using var dir = new TempDirectory();
        var (trainer, loader) = Run(dir.File("c"));
        trainer.Fit(loader, epochs: 1);

        const string Prefix = "backprop.checkpoint.config.";
        var configuration = Metadata(dir.File("c")).Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[Prefix.Length..], p => p.Value);
        Assert.Equal(new Dictionary<string, string>
        {
            ["batch_size"] = "16",
            ["dampening"] = "0",
            ["data"] = "blobs 7",
            ["loss"] = "cross-entropy",
            ["lr"] = "0.1",
            ["momentum"] = "0.9",
            ["nesterov"] = "false",
            ["optimizer"] = "sgd",
            ["shuffle"] = "true",
            ["weight_decay"] = "0",
        }, configuration);
        Assert.Equal("2", Metadata(dir.File("c"))["backprop.checkpoint.version"]);
    }

    [Fact]
    public void EveryEpochsSavesOnlyEachSuchEpoch()
    {
        using var dir = new TempDirectory();
        var (trainer, loader) = Run(dir.File("e"), everyEpochs: 2);
        trainer.Fit(loader, epochs: 3);
        Assert.Equal(("2", "20"), (Metadata(dir.File("e"))["backprop.checkpoint.epoch"], Metadata(dir.File("e"))["backprop.checkpoint.step"]));

        var error = Assert.Throws<ArgumentException>(() => new CheckpointPolicy(dir.Path) { EveryEpochs = 0 });
        Assert.Equal("checkpoint policy: every how many epochs must be at least 1, got 0", error.Message);
    }

    [Fact]
    public void ResumingWithAnotherConfigurationIsRefusedBeforeAnythingIsRestored()
    {
        using var dir = new TempDirectory();
        var (trainer, loader) = Run(dir.File("d"));
        trainer.Fit(loader, epochs: 1);

        var (other, otherLoader) = Run(dir.File("d"), lr: 0.05, batchSize: 8);
        var before = Weights(other);
        var error = Assert.Throws<CheckpointMismatchException>(() => other.Resume(dir.File("d"), otherLoader));
        Assert.Equal([new("batch_size", "16", "8"), new("lr", "0.1", "0.05")], error.Differences);
        Assert.Equal($"{Checkpoint.PathIn(dir.File("d"))}: was written by a different configuration: batch_size is 16 in the checkpoint, 8 now; lr is 0.1 in the checkpoint, 0.05 now", error.Message);
        Assert.Equal(before, Weights(other));
    }

    [Fact]
    public void ACheckpointWrittenBeforeTheLibraryNamedItsConfigurationIsRefusedInOneLine()
    {
        // Written by `backprop train --checkpoint` before issue 23, its configuration keyed by flags (Fixtures/Checkpoint/README.md).
        string directory = Repository.File("tests/Backprop.Tests/Fixtures/Checkpoint/old-run");
        var model = Architecture.Mlp([2, 4, 2], Activation.ReLU).Build(new Generator(3));
        var before = model.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.05, momentum: 0.9));

        var error = Assert.Throws<DataFileException>(() => trainer.Resume(directory, new DataLoader(TrainerTests.Blobs(1), 4)));
        Assert.Equal($"{Checkpoint.PathIn(directory)}: was written by an older Backprop (its run configuration is keyed by command-line flags); start a new run", error.Message);
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToFloatArray()));
    }
}

using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// A user's own module, not a ModelDescription MLP, through the whole stack: Trainer and Evaluator, a safetensors state dict,
/// and a checkpoint that resumes bit for bit.
/// </summary>
public class CustomModuleTests
{
    /// <summary>A residual block, x + f(x), as a user writes one: its child registered by hand, named "f".</summary>
    private sealed class Residual : Module
    {
        private readonly Module f;

        public Residual(Module f) => this.f = RegisterModule("f", f);

        public override Tensor Forward(Tensor input) => input + f.Forward(input);
    }

    private static Sequential Network(Generator g) =>
        new(new Linear(2, 8, generator: g), new Residual(new Sequential(new Linear(8, 8, generator: g), new Tanh())), new Linear(8, 3, generator: g));

    [Fact]
    public void ItsParametersAreNamedAsPyTorchNamesThem() =>
        Assert.Equal(["0.weight", "0.bias", "1.f.0.weight", "1.f.0.bias", "2.weight", "2.bias"], Network(new Generator(1)).StateDict().Keys);

    [Fact]
    public void TrainsEvaluatesSavesAndLoads()
    {
        var model = Network(new Generator(1));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.05));
        var epochs = new List<EpochReport>();
        trainer.EpochCompleted += epochs.Add;
        trainer.Fit(new DataLoader(TrainerTests.Blobs(1), 10, shuffle: true, new Generator(2)), epochs: 5, test: TrainerTests.Blobs(3));

        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss / 2, $"loss {epochs[0].TrainLoss} → {epochs[^1].TrainLoss}");
        var test = Evaluator.Evaluate(model, new CrossEntropyLoss(), TrainerTests.Blobs(3));
        Assert.True(test.Accuracy >= 0.95, $"accuracy {test.Accuracy}");
        Assert.Equal(epochs[^1].Test, test with { Confusion = epochs[^1].Test!.Confusion }); // the epoch's test figures are the Evaluator's
        Assert.Null(test.MeanAbsoluteError);

        using var dir = new TempDirectory();
        string path = dir.File("residual.safetensors");
        Safetensors.Save(path, model.StateDict());
        var loaded = Network(new Generator(99));
        loaded.LoadStateDict(Safetensors.Load(path).Tensors);
        var x = TrainerTests.Blobs(5, count: 12).Features;
        Assert.Equal(model.Forward(x).ToFloatArray(), loaded.Forward(x).ToFloatArray());
    }

    /// <summary>Trains from scratch, checkpointing after each epoch, or resumes from the checkpoint in <paramref name="directory"/>.</summary>
    private static float[] Run(string directory, int epochs, bool resume)
    {
        var generator = new Generator(4);
        var model = Network(generator);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.05))
        {
            Checkpoints = new CheckpointPolicy(directory) { Configuration = new Dictionary<string, string> { ["model"] = "residual" } },
        };
        var loader = new DataLoader(TrainerTests.Blobs(1), 16, shuffle: true, generator);
        if (resume) trainer.Resume(directory, loader);
        trainer.Fit(loader, epochs);
        return [.. model.Parameters().SelectMany(p => p.ToFloatArray())];
    }

    [Fact]
    public void ResumesFromACheckpointBitForBit()
    {
        using var dir = new TempDirectory();
        var uninterrupted = Run(dir.File("a"), epochs: 4, resume: false);
        Run(dir.File("b"), epochs: 2, resume: false);
        var resumed = Run(dir.File("b"), epochs: 4, resume: true);

        Assert.Equal(uninterrupted, resumed);
        Assert.Equal(File.ReadAllBytes(Checkpoint.PathIn(dir.File("a"))), File.ReadAllBytes(Checkpoint.PathIn(dir.File("b")))); // optimizer and generator too
        Assert.NotEqual(uninterrupted, Run(dir.File("c"), epochs: 2, resume: false));
    }

    [Fact]
    public void ARegressionTaskReportsTheMeanAbsoluteErrorAndNoAccuracy()
    {
        // y = 2·x0 − x1 + 0.5, learnt by a residual network under MSE: the task MSE implies is regression.
        var g = new Generator(6);
        var x = Tensor.Uniform([64, 2], -1, 1, g);
        var xs = x.ToFloatArray();
        var y = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => 2 * xs[2 * i] - xs[2 * i + 1] + 0.5f).ToArray());
        var data = new Dataset(x, y);
        var model = new Sequential(new Linear(2, 8, generator: g), new Residual(new Sequential(new Linear(8, 8, generator: g), new Tanh())), new Linear(8, 1, generator: g));
        var trainer = new Trainer(model, new MSELoss(), new Adam(model.Parameters(), 0.02));
        Assert.IsType<RegressionTask>(trainer.TrainingTask);
        var epochs = new List<EpochReport>();
        trainer.EpochCompleted += epochs.Add;
        trainer.Fit(new DataLoader(data, 16, shuffle: true, g), epochs: 60);

        Assert.All(epochs, e => Assert.Null(e.TrainAccuracy));
        var result = trainer.Evaluate(data);
        Assert.Null(result.Accuracy);
        Assert.Null(result.Confusion);
        Assert.True(result.MeanAbsoluteError < 0.1, $"mean absolute error {result.MeanAbsoluteError}");
        // The mean absolute error by hand, from the model's own outputs.
        model.Eval();
        var outputs = model.Forward(x).ToFloatArray();
        var targets = y.ToFloatArray();
        Assert.Equal(outputs.Zip(targets, (o, t) => Math.Abs((double)o - t)).Average(), result.MeanAbsoluteError!.Value, 5);
    }
}

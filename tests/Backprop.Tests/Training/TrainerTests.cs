using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class TrainerTests
{
    private static readonly ModelDescription Spec = ModelDescription.Mlp([2, 8, 3], Activation.Tanh, new CrossEntropyLoss());

    /// <summary>Three well-separated blobs in the plane, one per class.</summary>
    internal static Dataset Blobs(ulong seed, int count = 150)
    {
        var g = new Generator(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 3;
            targets[i] = c;
            features[2 * i] = (float)(Math.Cos(2 * Math.PI * c / 3) * 2 + 0.3 * g.NextNormal());
            features[2 * i + 1] = (float)(Math.Sin(2 * Math.PI * c / 3) * 2 + 0.3 * g.NextNormal());
        }
        return new Dataset(Tensor.FromArray(features, [count, 2]), Tensor.FromArray(targets), 3);
    }

    [Fact]
    public void AnEmptyTrainingSetIsRefused()
    {
        var model = Spec.Build(new Generator(1));
        var empty = new Dataset(Tensor.Zeros([0, 2]), Tensor.Zeros([0]), 3);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1)).Fit(new DataLoader(empty, 16), epochs: 1));
        Assert.Equal("trainer: the training data has no examples", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EvaluationLeavesTheModelInTheModeItWasIn(bool training)
    {
        var model = Spec.Build(new Generator(1));
        model.Train(training);
        Evaluator.Evaluate(model, new CrossEntropyLoss(), Blobs(3, count: 9));
        Assert.Equal(training, model.IsTraining);
        Assert.All(model.NamedChildren(), child => Assert.Equal(training, child.Value.IsTraining));
    }

    private static (List<double> Losses, float[] Weights) Train(ulong seed)
    {
        var generator = new Generator(seed);
        var model = Spec.Build(generator);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.05));
        var losses = new List<double>();
        trainer.BatchCompleted += b => losses.Add(b.Loss);
        trainer.Fit(new DataLoader(Blobs(7), 16, shuffle: true, generator), epochs: 3);
        return (losses, model.Parameters().SelectMany(p => p.ToFloatArray()).ToArray());
    }

    [Fact]
    public void SameSeedGivesIdenticalLossesAndWeights()
    {
        var first = Train(5);
        var second = Train(5);
        Assert.Equal(first.Losses, second.Losses);
        Assert.Equal(first.Weights, second.Weights);
        Assert.NotEqual(first.Weights, Train(6).Weights);
    }

    [Fact]
    public void LearnsSeparableClassesAndReportsEveryEpoch()
    {
        var model = Spec.Build(new Generator(1));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.5, momentum: 0.9));
        var epochs = new List<EpochReport>();
        int batches = 0;
        trainer.EpochCompleted += epochs.Add;
        trainer.BatchCompleted += _ => batches++;
        int steps = trainer.Fit(new DataLoader(Blobs(1), 10, shuffle: true, new Generator(2)), epochs: 5, test: Blobs(3));

        Assert.Equal(75, steps);
        Assert.Equal(75, batches);
        Assert.Equal([1, 2, 3, 4, 5], epochs.Select(e => e.Epoch));
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss);
        var test = trainer.Evaluate(Blobs(3));
        Assert.True(test.Accuracy >= 0.95, $"accuracy {test.Accuracy}");
        Assert.Equal(test.Count, Enumerable.Range(0, 3).Sum(r => Enumerable.Range(0, 3).Sum(c => test.Confusion![r, c])));
    }

    [Fact]
    public void MaxStepsStopsMidEpoch()
    {
        var model = Spec.Build(new Generator(1));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1));
        Assert.Equal(7, trainer.Fit(new DataLoader(Blobs(1), 10), epochs: 5, maxSteps: 7));
    }

    [Fact]
    public void SpecTravelsThroughAModelFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var model = Spec.Build(new Generator(3));
        ModelFile.Save(path, model, Spec);

        var (loaded, description) = ModelFile.Load(path);
        Assert.Equal("Linear(2, 8), Tanh(), Linear(8, 3)", description.Architecture.ToString());
        Assert.Equal([2], description.InputShape.ToArray());
        Assert.Equal(Spec.Loss, description.Loss);
        var x = Tensor.FromArray(new float[,] { { 0.5f, -1 } });
        Assert.Equal(model.Forward(x).ToFloatArray(), loaded.Forward(x).ToFloatArray());
    }

    [Fact]
    public void FileWithoutMetadataNeedsAFallbackSpecThatFits()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.safetensors");
        var model = Spec.Build(new Generator(3));
        Backprop.IO.Safetensors.Save(path, model.StateDict()); // as PyTorch's save_file writes a state dict

        Assert.Equal(ModelFile.NoArchitecture, Assert.Throws<DataFileException>(() => ModelFile.Load(path)).Problem);
        Assert.Same(Spec, ModelFile.Load(path, () => Spec).Description);
        var wrong = ModelDescription.Mlp([2, 5, 3], Activation.Tanh, new CrossEntropyLoss());
        Assert.Equal($"{path}: 0.weight has shape [8, 2] in the file, Linear(2, 5) needs [5, 2]",
            Assert.Throws<DataFileException>(() => ModelFile.Load(path, () => wrong)).Message);
    }

    [Fact]
    public void SpecParsingAndDataChecks()
    {
        Assert.Equal([784, 128, 10], Backprop.Cli.ArchitectureOptions.ParseLayers("784, 128,10"));
        Assert.Equal("layers: '784,x' is not a list of sizes such as 784,128,10 ('x' is not a size)", Assert.Throws<ArgumentException>(() => Backprop.Cli.ArchitectureOptions.ParseLayers("784,x")).Message);
        Assert.Equal("layers: '784' needs at least an input and an output size, such as 784,10", Assert.Throws<ArgumentException>(() => Backprop.Cli.ArchitectureOptions.ParseLayers("784")).Message);
        Assert.Equal(new BCEWithLogitsLoss(), LossModule.Parse("bce"));
        Assert.Equal(Activation.LeakyReLU, Activation.Parse("leaky-relu"));

        var data = new Dataset(Tensor.Zeros([2, 3]), Tensor.FromArray([0f, 5f]), classCount: 6, source: "d.csv");
        Assert.Equal("d.csv: has 3 features per example, the model takes 2 inputs (Linear(2, 8), Tanh(), Linear(8, 3))", Assert.Throws<DataFileException>(() => Spec.Fit(data)).Message);
        var labels = new Dataset(Tensor.Zeros([2, 2]), Tensor.FromArray([0f, 5f]), classCount: 6, source: "d.csv");
        Assert.Equal("d.csv: has labels up to 5, the model has 3 classes (Linear(2, 8), Tanh(), Linear(8, 3))", Assert.Throws<DataFileException>(() => Spec.Fit(labels)).Message);
    }
}

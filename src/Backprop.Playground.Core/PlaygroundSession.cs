using Backprop.Data;
using Backprop.Explain;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>
/// One playground run: the points (split into a training and a test set), the network the settings describe, and plain
/// gradient descent on it by the library's <see cref="Trainer"/>, one batch per <see cref="Step"/>, with the chosen loss
/// plus the weights' penalty. Everything the page shows comes from here: losses and accuracy, each neuron's output over
/// the plane, a weight's gradient as the chain rule. Two classes learnt with squared error are TensorFlow Playground's
/// encoding: a tanh output fitted to −1 and +1 (<see cref="ClassOutputs.Signs"/>), read as class 1 from 0 up.
/// </summary>
public sealed class PlaygroundSession
{
    /// <summary>How many points a built-in data set has (TensorFlow Playground's numbers).</summary>
    public const int ClassificationPoints = 500, RegressionPoints = 1200;

    private readonly PlaygroundData train, test;
    private readonly Sgd optimizer;
    private readonly LossModule loss;
    private readonly TrainingTask task;
    private Trainer trainer = null!; // made by Adjust, called from the constructor
    private Penalty? penalty;
    private int nextBatch;

    /// <summary>
    /// Generates the data set (or takes <paramref name="ownPoints"/>, the learner's own, when the settings name none),
    /// shuffles and splits it, and builds the network with weights drawn from the settings' seed.
    /// </summary>
    public PlaygroundSession(PlaygroundSettings settings, IReadOnlyList<PlanePoint>? ownPoints = null)
    {
        Settings = settings.Validate();
        var generator = new Generator(settings.Seed);
        var points = settings.Dataset is { } dataset
            ? PlaneData.Generate(dataset, dataset.IsRegression() ? RegressionPoints : ClassificationPoints, settings.Noise, generator, settings.Classes)
            : ownPoints ?? throw new ArgumentException("playground: own data needs points");
        var shuffled = points.ToArray();
        generator.Shuffle(shuffled.AsSpan());
        int trainCount = Math.Clamp((int)Math.Round(shuffled.Length * settings.PercTrainData / 100.0), shuffled.Length > 1 ? 1 : 0, Math.Max(shuffled.Length - 1, 1));
        train = new PlaygroundData(shuffled[..trainCount], settings);
        test = new PlaygroundData(shuffled[trainCount..], settings);
        if (train.Count == 0) throw new ArgumentException("playground: no points to train on");

        Description = new ModelDescription(BuildArchitecture(settings), [settings.Features.Count], settings.Loss);
        Model = (Sequential)Description.Build(generator); // an MLP's architecture builds a Sequential
        Layers = [.. Model.Layers.OfType<Linear>()];
        optimizer = new Sgd(Model.Parameters(), settings.LearningRate);
        loss = settings.Loss;
        task = settings.Problem == PlaygroundProblem.Regression ? new RegressionTask()
            : new ClassificationTask(settings.Loss is CrossEntropyLoss ? ClassOutputs.Logits : ClassOutputs.Signs);
        Adjust(settings);
    }

    /// <summary>The settings this run follows.</summary>
    public PlaygroundSettings Settings { get; private set; }

    /// <summary>The network (what a model file of it holds).</summary>
    public ModelDescription Description { get; }

    /// <summary>The network: Linear layers, each but the last followed by its hidden layer's activation.</summary>
    public Sequential Model { get; }

    /// <summary>The network's Linear layers: layer L of the page is <c>Layers[L − 1]</c>.</summary>
    public IReadOnlyList<Linear> Layers { get; }

    /// <summary>The training points, in the order the batches take them.</summary>
    public IReadOnlyList<PlanePoint> TrainPoints => train.Points;

    /// <summary>The test points.</summary>
    public IReadOnlyList<PlanePoint> TestPoints => test.Points;

    /// <summary>Complete passes over the training points.</summary>
    public int Epoch { get; private set; }

    /// <summary>Gradient steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>
    /// Whether <paramref name="settings"/> differ from this run's only in how the network learns (the learning rate, the
    /// batch size, the penalty) or in what the page shows, which <see cref="Adjust"/> changes without a new session, as
    /// TensorFlow Playground does without a reset.
    /// </summary>
    public bool CanAdjust(PlaygroundSettings settings)
    {
        var unchanged = settings with
        {
            LearningRate = Settings.LearningRate, BatchSize = Settings.BatchSize, Regularization = Settings.Regularization,
            RegularizationRate = Settings.RegularizationRate, ShowTestData = Settings.ShowTestData, Discretize = Settings.Discretize,
            GradientView = Settings.GradientView,
        };
        return settings.Problems() is null && unchanged == Settings;
    }

    /// <summary>Changes how the network learns from here on; see <see cref="CanAdjust"/> (other changes need a new session).</summary>
    public void Adjust(PlaygroundSettings settings)
    {
        if (!CanAdjust(settings)) throw new ArgumentException("playground: only the learning rate, batch size, penalty and view change without a new session");
        Settings = settings;
        optimizer.LearningRate = settings.LearningRate;
        penalty = settings.Regularization is { } kind ? new Penalty(kind, settings.RegularizationRate) : null;
        // As in TensorFlow Playground, the penalty is on the weights, not the biases.
        trainer = new Trainer(Model, penalty is null ? loss : new PenalizedLoss(loss, Layers.Select(l => l.Weight), penalty), optimizer, task);
    }

    /// <summary>One gradient step on the next batch of training points; the parameters keep the batch's gradients.</summary>
    public void Step()
    {
        // A batch at a time rather than Trainer.Fit's epochs: the page steps once per frame, and the batch size may change mid-epoch.
        var (inputs, targets) = train.Batch(nextBatch, Settings.BatchSize);
        trainer.Step(inputs, targets);
        Steps++;
        nextBatch += Settings.BatchSize;
        if (nextBatch < train.Count) return;
        nextBatch = 0;
        Epoch++;
    }

    /// <summary>The steps left in this pass over the training points, so that <see cref="Epoch"/> goes up by one.</summary>
    public void FinishEpoch()
    {
        int epoch = Epoch;
        while (Epoch == epoch) Step();
    }

    /// <summary>The chain rule for one parameter's gradient on the batch the next <see cref="Step"/> takes.</summary>
    public ParameterGradientExplanation Explain(ParameterRef parameter)
    {
        var (inputs, targets) = train.Batch(nextBatch, Settings.BatchSize);
        return ParameterGradientExplanation.Run(Model, inputs, targets, Settings.Loss, parameter, penalty, task);
    }

    /// <summary>
    /// The loss (without the penalty) and, for classification, the accuracy on the training and the test points, measured
    /// as <c>backprop eval</c> measures a model file.
    /// </summary>
    public PlaygroundScores Score() => new(Evaluator.Evaluate(Model, loss, train.All, task), test.Count > 0 ? Evaluator.Evaluate(Model, loss, test.All, task) : null);

    /// <summary>A parameter's value.</summary>
    public float this[ParameterRef parameter]
    {
        get
        {
            var (tensor, index) = Element(parameter);
            return (float)tensor[index];
        }
        set
        {
            var (tensor, index) = Element(parameter);
            tensor[index] = value;
        }
    }

    /// <summary>A parameter's gradient from the last step or explanation, or null before any.</summary>
    public float? Gradient(ParameterRef parameter)
    {
        var (tensor, index) = Element(parameter);
        return tensor.Grad is { } grad ? (float)grad[index] : null;
    }

    private (Tensor Tensor, int[] Index) Element(ParameterRef parameter)
    {
        if (parameter.Layer < 1 || parameter.Layer > Layers.Count) throw new ArgumentException($"playground: no layer {parameter.Layer} (1 to {Layers.Count})");
        var layer = Layers[parameter.Layer - 1];
        return parameter.IsBias ? (layer.Bias!, [parameter.To]) : (layer.Weight, [parameter.To, parameter.From!.Value]);
    }

    /// <summary>The model file (safetensors with the architecture in its metadata) that <c>backprop eval</c> and <c>predict</c> read.</summary>
    public byte[] ModelFileBytes() => ModelFile.ToBytes(Model, Description);

    /// <summary>The network as ONNX.</summary>
    public byte[] OnnxBytes() => OnnxExport.ToBytes(Model, [Settings.Features.Count]);

    /// <summary>The training or test points as CSV: a column per input feature, then the target (a class index or a value).</summary>
    public string Csv(bool testSet) => (testSet ? test : train).Csv();

    /// <summary>Writes every neuron's output over the plane into <paramref name="maps"/>; see <see cref="NeuronMaps"/>.</summary>
    public void DrawMaps(NeuronMaps maps) => maps.Fill(Model);

    /// <summary>
    /// Linear layers through the hidden sizes to the outputs, each hidden one followed by its activation; the output is tanh
    /// for squared-error classification (targets −1 and +1, as TensorFlow Playground), linear for regression, and logits
    /// for cross-entropy.
    /// </summary>
    private static Architecture BuildArchitecture(PlaygroundSettings settings)
    {
        var sizes = settings.NetworkShape.Prepend(settings.Features.Count).Append(settings.Outputs).ToList();
        var layers = new List<string>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            layers.Add($"Linear({sizes[i]}, {sizes[i + 1]})");
            if (i < settings.NetworkShape.Count) layers.Add($"{settings.Activations[i].ClassName}()");
        }
        if (settings.Problem == PlaygroundProblem.Classification && settings.Loss is MSELoss) layers.Add("Tanh()");
        return Architecture.Parse(string.Join(", ", layers));
    }
}

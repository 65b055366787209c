using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>
/// Everything that decides a playground run: the data, the network, how it learns and what the page shows. The defaults
/// are TensorFlow Playground's (circle data, x₁ and x₂ in, hidden layers of 4 and 2 tanh neurons, learning rate 0.03,
/// batches of 10, half the points for training). The same settings and seed give the same data, weights and steps.
/// </summary>
public sealed record PlaygroundSettings
{
    /// <summary>The most hidden layers, and the most neurons in one, that the page offers (as TensorFlow Playground).</summary>
    public const int MaxHiddenLayers = 6, MaxNeurons = 8;

    /// <summary>The most classes a data set can have.</summary>
    public const int MaxClasses = 5;

    /// <summary>The data set, or null for the learner's own points.</summary>
    public PlaneDataset? Dataset { get; init; } = PlaneDataset.Circle;

    /// <summary>Classification or regression; a built-in data set decides it.</summary>
    public PlaygroundProblem Problem { get; init; } = PlaygroundProblem.Classification;

    /// <summary>The number of classes, 2 to <see cref="MaxClasses"/> (more than 2: spiral, gauss or own points, with cross-entropy).</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Noise in percent, 0 to 50.</summary>
    public int Noise { get; init; }

    /// <summary>The share of the points used for training, in percent, 10 to 90; the rest are the test set.</summary>
    public int PercTrainData { get; init; } = 50;

    /// <summary>Points per gradient step, 1 to 30.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The learning rate r of w ← w − r·dC/dw.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>The size of each hidden layer, 0 to <see cref="MaxHiddenLayers"/> layers of 1 to <see cref="MaxNeurons"/>.</summary>
    public IReadOnlyList<int> NetworkShape { get; init; } = [4, 2];

    /// <summary>The activation of each hidden layer (one per entry of <see cref="NetworkShape"/>).</summary>
    public IReadOnlyList<Activation> Activations { get; init; } = [Activation.Tanh, Activation.Tanh];

    /// <summary>The network's inputs.</summary>
    public IReadOnlyList<InputFeature> Features { get; init; } = [InputFeature.X1, InputFeature.X2];

    /// <summary>Squared error (<see cref="MSELoss"/>) or <see cref="CrossEntropyLoss"/> (classification only).</summary>
    public LossModule Loss { get; init; } = new MSELoss();

    /// <summary>The penalty on the weights, or null for none.</summary>
    public PenaltyKind? Regularization { get; init; }

    /// <summary>The penalty's rate λ.</summary>
    public double RegularizationRate { get; init; }

    /// <summary>The seed of the data, the initial weights and the shuffle.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Whether the output map shows the test points too.</summary>
    public bool ShowTestData { get; init; }

    /// <summary>Whether the output map shows classes only, without the network's confidence.</summary>
    public bool Discretize { get; init; }

    /// <summary>Whether links are coloured by their gradient instead of their weight.</summary>
    public bool GradientView { get; init; }

    /// <summary>The network's outputs: one per class with cross-entropy, else one.</summary>
    public int Outputs => Loss is CrossEntropyLoss ? Classes : 1;

    /// <summary>The first problem with these settings, or null when they make a network the playground can train.</summary>
    public string? Problems()
    {
        if (Dataset is { } dataset && dataset.IsRegression() != (Problem == PlaygroundProblem.Regression))
            return $"dataset {dataset.UrlKey()} is not a {Problem.ToString().ToLowerInvariant()} data set";
        if (Classes is < 2 or > MaxClasses) return $"classes must be 2 to {MaxClasses}, got {Classes}";
        if (Classes > 2 && Loss is not CrossEntropyLoss) return $"{Classes} classes need the cross-entropy loss";
        if (Dataset is { } withClasses && Classes > withClasses.MaxClassCount()) return $"dataset {withClasses.UrlKey()} has at most {withClasses.MaxClassCount()} classes";
        if (Problem == PlaygroundProblem.Regression && Loss is not MSELoss) return "regression learns with squared error only";
        if (Loss is not (MSELoss or CrossEntropyLoss)) return $"loss {Loss.Name} is not offered (mse or cross-entropy)";
        if (Noise is < 0 or > 50) return $"noise must be 0 to 50, got {Noise}";
        if (PercTrainData is < 10 or > 90) return $"percTrainData must be 10 to 90, got {PercTrainData}";
        if (BatchSize is < 1 or > 30) return $"batchSize must be 1 to 30, got {BatchSize}";
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) return $"learningRate must be a positive number, got {LearningRate}";
        if (!(RegularizationRate >= 0) || !double.IsFinite(RegularizationRate)) return $"regularizationRate must be zero or positive, got {RegularizationRate}";
        if (NetworkShape.Count > MaxHiddenLayers) return $"networkShape has {NetworkShape.Count} hidden layers, at most {MaxHiddenLayers}";
        if (NetworkShape.Any(n => n is < 1 or > MaxNeurons)) return $"networkShape needs 1 to {MaxNeurons} neurons a layer, got {string.Join(',', NetworkShape)}";
        if (Activations.Count != NetworkShape.Count) return $"{Activations.Count} activations for {NetworkShape.Count} hidden layers";
        if (Features.Count == 0) return "no input feature is on";
        if (Features.Distinct().Count() != Features.Count) return "an input feature is listed twice";
        return null;
    }

    /// <summary>Whether <paramref name="other"/> has the same value for every setting (the lists compared element by element).</summary>
    public bool Equals(PlaygroundSettings? other) =>
        other is not null && Dataset == other.Dataset && Problem == other.Problem && Classes == other.Classes && Noise == other.Noise
        && PercTrainData == other.PercTrainData && BatchSize == other.BatchSize && LearningRate.Equals(other.LearningRate)
        && NetworkShape.SequenceEqual(other.NetworkShape) && Activations.SequenceEqual(other.Activations) && Features.SequenceEqual(other.Features)
        && Loss == other.Loss && Regularization == other.Regularization && RegularizationRate.Equals(other.RegularizationRate) && Seed == other.Seed
        && ShowTestData == other.ShowTestData && Discretize == other.Discretize && GradientView == other.GradientView;

    /// <summary>A hash of the settings that decide the data and the network, consistent with <see cref="Equals(PlaygroundSettings?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Dataset, Problem, Classes, Seed, Loss, NetworkShape.Count, Features.Count);

    /// <summary>These settings, or an <see cref="ArgumentException"/> naming their first problem.</summary>
    public PlaygroundSettings Validate() => Problems() is { } problem ? throw new ArgumentException($"playground settings: {problem}") : this;
}

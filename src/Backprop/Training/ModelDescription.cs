using System.Globalization;
using Backprop.Data;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// What a model file records beside the weights: the network's <see cref="NN.Architecture"/>, the shape of one input
/// example, and the loss it is trained with (which says what its outputs mean). Creating one checks that the layers'
/// shapes chain for that input and end in one axis of outputs. A network described by the MLP shorthand (layer sizes and one activation) keeps
/// it (<see cref="Mlp"/>), and its files keep that shorthand's metadata, as before the architecture text existed.
/// </summary>
public sealed class ModelDescription
{
    private const string ArchitectureKey = "backprop.architecture";
    private const string InputShapeKey = "backprop.input_shape";
    private const string LossKey = "backprop.loss";

    /// <summary>A network taking examples of shape <paramref name="inputShape"/> (no batch axis), trained with <paramref name="loss"/>.</summary>
    public ModelDescription(Architecture architecture, IReadOnlyList<int> inputShape, LossKind loss)
    {
        Architecture = architecture;
        InputShape = new Shape([.. inputShape]);
        Loss = loss;
        int[] output = architecture.OutputShape(inputShape);
        if (output.Length != 1)
        {
            throw new ArgumentException($"architecture: one example's output has shape [{string.Join(", ", output)}]; the last layer must give one axis of outputs (flatten before it)");
        }
        Outputs = output[0];
    }

    /// <summary>The MLP shorthand's network: its Linear layers as architecture text, inputs of one axis.</summary>
    public static ModelDescription FromMlp(ModelSpec spec) =>
        new(Architecture.Mlp(spec.Layers, spec.Activation), [spec.Inputs], spec.Loss) { Mlp = spec };

    /// <summary>The layers.</summary>
    public Architecture Architecture { get; }

    /// <summary>The shape of one input example, such as [1, 28, 28].</summary>
    public Shape InputShape { get; }

    /// <summary>The loss the model is trained with.</summary>
    public LossKind Loss { get; }

    /// <summary>The number of outputs per example.</summary>
    public int Outputs { get; }

    /// <summary>The MLP shorthand this network was described by, or null.</summary>
    public ModelSpec? Mlp { get; private init; }

    /// <summary>A fresh network, initialised as PyTorch's from <paramref name="generator"/>.</summary>
    public Sequential Build(Generator? generator = null) => Architecture.Build(generator);

    /// <summary>What the outputs mean: the loss's task for <see cref="Outputs"/> outputs.</summary>
    public TrainingTask CreateTask() => Loss.CreateTask(Outputs);

    /// <summary>
    /// <paramref name="data"/> with each example in <see cref="InputShape"/> (an image [1, 28, 28] becomes a row of 784 for an
    /// MLP; the values are shared), or a <see cref="DataFileException"/> naming the data when its examples or classes do not fit.
    /// </summary>
    public Dataset Fit(Dataset data)
    {
        string source = data.Source ?? "data";
        var features = FitFeatures(data.Features, source);
        int classes = ClassificationTask.ClassCount(Outputs);
        if (CreateTask() is ClassificationTask && data.ClassCount > classes)
        {
            throw new DataFileException(source, $"has labels up to {data.ClassCount - 1}, the model has {classes} classes ({Summary})");
        }
        return ReferenceEquals(features, data.Features) ? data : new Dataset(features, data.Targets, data.ClassCount, data.Source);
    }

    /// <summary>
    /// Inputs [N, …] from <paramref name="source"/> with each example in <see cref="InputShape"/> (sharing the values), or a
    /// <see cref="DataFileException"/> naming the source when an example does not hold as many values as the network takes.
    /// </summary>
    public Tensor FitFeatures(Tensor features, string source)
    {
        var example = new Shape(features.Shape.ToArray()[1..]);
        if (example == InputShape) return features;
        if (example.NumElements != InputShape.NumElements)
        {
            throw new DataFileException(source, Mlp is { } mlp
                ? $"has {example.NumElements} features per example, the model takes {mlp.Inputs} inputs (layers {string.Join(',', mlp.Layers)})"
                : $"has examples of shape [{string.Join(", ", example.ToArray())}], the model takes [{string.Join(", ", InputShape.ToArray())}]");
        }
        return features.Reshape([features.Shape[0], .. InputShape]);
    }

    /// <summary>The network in a few words, for messages: "layers 784,128,10" or its architecture text.</summary>
    public string Summary => Mlp is { } mlp ? $"layers {string.Join(',', mlp.Layers)}" : Architecture.ToString();

    /// <summary>The description as safetensors metadata (the MLP shorthand's own keys for its networks).</summary>
    public Dictionary<string, string> ToMetadata() => Mlp?.ToMetadata() ?? new()
    {
        ["format"] = "pt",
        [ArchitectureKey] = Architecture.ToString(),
        [InputShapeKey] = string.Join(',', InputShape.ToArray()),
        [LossKey] = Loss.Name(),
    };

    /// <summary>The description a model file's metadata records, or null when it records none (a PyTorch state dict).</summary>
    public static ModelDescription? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (ModelSpec.FromMetadata(metadata) is { } mlp) return FromMlp(mlp);
        if (!metadata.TryGetValue(ArchitectureKey, out var architecture) || !metadata.TryGetValue(InputShapeKey, out var inputShape)) return null;
        int[] shape = [.. inputShape.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, NumberStyles.None, CultureInfo.InvariantCulture))];
        return new ModelDescription(Architecture.Parse(architecture), shape, metadata.TryGetValue(LossKey, out var loss) ? LossKinds.Parse(loss) : LossKind.CrossEntropy);
    }
}

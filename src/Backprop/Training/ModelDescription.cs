using System.Globalization;
using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// What a model file records beside the weights: the network's <see cref="NN.Architecture"/>, the shape of one input
/// example, and the loss it is trained with (which says what its outputs mean); for a text model, its tokenizer too, so
/// that generating or evaluating needs no corpus to decode. Creating one checks that the layers' shapes chain for that
/// input and end in one axis of outputs, or for a text model in logits over the vocabulary at each position. Files
/// written before the architecture text existed, which record the MLP shorthand instead (layer sizes and one
/// activation), read as the same network.
/// </summary>
public sealed class ModelDescription
{
    private const string ArchitectureKey = "backprop.architecture";
    private const string InputShapeKey = "backprop.input_shape";
    private const string LossKey = "backprop.loss";
    private const string TokenizerKey = "backprop.tokenizer";

    /// <summary>A network taking examples of shape <paramref name="inputShape"/> (no batch axis), trained with <paramref name="loss"/>.</summary>
    public ModelDescription(Architecture architecture, IReadOnlyList<int> inputShape, LossModule loss)
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

    /// <summary>
    /// A language model: it reads windows of <paramref name="blockSize"/> token indices of <paramref name="tokenizer"/>'s
    /// vocabulary and gives next-token logits [T, V] at each position, trained with cross-entropy (<paramref name="loss"/>,
    /// by default <see cref="CrossEntropyLoss"/>). V may exceed the vocabulary (nanoGPT pads GPT-2's to 50304), never fall short of it.
    /// </summary>
    public ModelDescription(Architecture architecture, int blockSize, Tokenizer tokenizer, LossModule? loss = null)
    {
        Architecture = architecture;
        InputShape = new Shape(blockSize);
        Loss = loss ?? new CrossEntropyLoss();
        Tokenizer = tokenizer;
        int[] output = architecture.OutputShape([blockSize]);
        if (output.Length != 2 || output[0] != blockSize)
        {
            throw new ArgumentException($"architecture: a window of {blockSize} tokens gives outputs of shape [{string.Join(", ", output)}]; a text model must give logits [{blockSize}, vocabulary] (one row per position)");
        }
        if (output[1] < tokenizer.VocabularySize)
        {
            throw new ArgumentException($"architecture: {Architecture} gives {output[1]} logits per position, fewer than the {tokenizer.VocabularySize} tokens of the vocabulary");
        }
        Outputs = output[1];
    }

    /// <summary>
    /// A multilayer perceptron: Linear layers of <paramref name="sizes"/> (inputs first) with <paramref name="activation"/>
    /// between them (<see cref="Architecture.Mlp"/>), taking rows of <c>sizes[0]</c> features.
    /// </summary>
    public static ModelDescription Mlp(IReadOnlyList<int> sizes, Activation activation, LossModule loss) =>
        new(Architecture.Mlp(sizes, activation), [sizes[0]], loss);

    /// <summary>The layers.</summary>
    public Architecture Architecture { get; }

    /// <summary>The shape of one input example, such as [1, 28, 28].</summary>
    public Shape InputShape { get; }

    /// <summary>The loss the model is trained with.</summary>
    public LossModule Loss { get; }

    /// <summary>The number of outputs per example; for a text model, the logits per position.</summary>
    public int Outputs { get; }

    /// <summary>A text model's tokenizer (which maps its vocabulary to text), or null for a model of images or tables.</summary>
    public Tokenizer? Tokenizer { get; }

    /// <summary>The tokens a text model reads at most at once (its window, T), or null for other models.</summary>
    public int? BlockSize => Tokenizer is null ? null : InputShape[0];

    /// <summary>A fresh network, initialised as PyTorch's from <paramref name="generator"/> (see <see cref="Architecture.Build"/>).</summary>
    public Module Build(Generator? generator = null) => Architecture.Build(generator);

    /// <summary>What the outputs mean: next-token prediction for a text model, else the loss's task for <see cref="Outputs"/> outputs.</summary>
    public TrainingTask CreateTask() => Tokenizer is null ? TrainingTask.For(Loss, Outputs) : new NextTokenTask();

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
            throw new DataFileException(source, $"has labels up to {data.ClassCount - 1}, the model has {classes} classes ({Architecture})");
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
            throw new DataFileException(source, InputShape.Rank == 1
                ? $"has {example.NumElements} features per example, the model takes {InputShape[0]} inputs ({Architecture})"
                : $"has examples of shape [{string.Join(", ", example.ToArray())}], the model takes [{string.Join(", ", InputShape.ToArray())}]");
        }
        return features.Reshape([features.Shape[0], .. InputShape]);
    }

    /// <summary>The description as safetensors metadata.</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ArchitectureKey] = Architecture.ToString(),
            [InputShapeKey] = string.Join(',', InputShape.ToArray()),
            [LossKey] = Loss.Name,
        };
        if (Tokenizer is not null) metadata[TokenizerKey] = Tokenizer.ToJson();
        return metadata;
    }

    /// <summary>The description a model file's metadata records, or null when it records none (a PyTorch state dict).</summary>
    public static ModelDescription? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (LegacyMlpMetadata.Read(metadata) is { } mlp) return mlp;
        if (!metadata.TryGetValue(ArchitectureKey, out var architecture) || !metadata.TryGetValue(InputShapeKey, out var inputShape)) return null;
        int[] shape = [.. inputShape.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, NumberStyles.None, CultureInfo.InvariantCulture))];
        if (metadata.TryGetValue(TokenizerKey, out var tokenizer))
        {
            if (shape.Length != 1) throw new FormatException($"a text model's input shape must be one window length, got [{inputShape}]");
            return new ModelDescription(Architecture.Parse(architecture), shape[0], Tokenizer.FromJson(tokenizer), ReadLoss(metadata));
        }
        return new ModelDescription(Architecture.Parse(architecture), shape, ReadLoss(metadata));
    }

    /// <summary>The loss a file records, cross-entropy where it records none.</summary>
    internal static LossModule ReadLoss(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(LossKey, out var loss) ? LossModule.Parse(loss) : new CrossEntropyLoss();
}

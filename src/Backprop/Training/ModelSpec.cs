using System.Globalization;
using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// A multilayer perceptron as the command line describes it: layer sizes (inputs first), the activation between layers,
/// and the loss. It builds the network as PyTorch's <c>nn.Sequential(Linear, act, Linear, …)</c>, so parameter names are
/// <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …, and it travels in a model file's metadata.
/// </summary>
public sealed record ModelSpec(IReadOnlyList<int> Layers, Activation Activation, LossKind Loss)
{
    private const string LayersKey = "backprop.layers";
    private const string ActivationKey = "backprop.activation";
    private const string LossKey = "backprop.loss";

    /// <summary>Number of inputs.</summary>
    public int Inputs => Layers[0];

    /// <summary>Number of outputs.</summary>
    public int Outputs => Layers[^1];

    /// <summary>A fresh network with PyTorch's default initialisation drawn from <paramref name="generator"/>: its architecture's.</summary>
    public Sequential Build(Generator generator) => Architecture.Mlp(Layers, Activation).Build(generator);

    /// <summary>The loss module.</summary>
    public LossModule CreateLoss() => Loss.CreateLoss();

    /// <summary>What the outputs mean under the loss (see <see cref="LossKinds.CreateTask"/>).</summary>
    public TrainingTask CreateTask() => Loss.CreateTask(Outputs);

    /// <summary>The spec as safetensors metadata.</summary>
    public Dictionary<string, string> ToMetadata() => new()
    {
        ["format"] = "pt",
        [LayersKey] = string.Join(',', Layers),
        [ActivationKey] = Activation.Name,
        [LossKey] = Loss.Name(),
    };

    /// <summary>The spec recorded in a model file's metadata, or null when the file has none (for example one saved by PyTorch).</summary>
    public static ModelSpec? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(LayersKey, out var layers) || !metadata.TryGetValue(ActivationKey, out var activation)) return null;
        return new ModelSpec(ParseLayers(layers), Activation.Parse(activation), metadata.TryGetValue(LossKey, out var loss) ? LossKinds.Parse(loss) : LossKind.CrossEntropy);
    }

    /// <summary>Layer sizes written as <c>784,128,10</c>: at least two, each at least 1.</summary>
    public static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new ArgumentException($"layers: '{text}' is not a list of sizes such as 784,128,10 ('{parts[i]}' is not a size)");
            }
        }
        if (sizes.Length < 2) throw new ArgumentException($"layers: '{text}' needs at least an input and an output size, such as 784,10");
        return sizes;
    }
}

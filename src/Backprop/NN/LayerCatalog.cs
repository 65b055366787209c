namespace Backprop.NN;

/// <summary>
/// The layers the architecture text can name, under <c>torch.nn</c>'s class names with their constructors' parameters
/// (names, order and defaults as PyTorch's), so that a network's text can be pasted from PyTorch code.
/// </summary>
internal static class LayerCatalog
{
    private static readonly ArgumentValue True = ArgumentValue.Bool(true);
    private static readonly ArgumentValue False = ArgumentValue.Bool(false);

    private static readonly Dictionary<string, LayerDefinition> Definitions = new[]
    {
        new LayerDefinition("Linear", [new("in_features"), new("out_features"), new("bias", True)],
            (a, g) => new Linear(a.Int("in_features", 1), a.Int("out_features", 1), a.Bool("bias"), generator: g), LinearShape, LinearState),
        new LayerDefinition("Flatten", [new("start_dim", ArgumentValue.Int(1)), new("end_dim", ArgumentValue.Int(-1))],
            (a, _) => new Flatten(a.Int("start_dim"), a.Int("end_dim")), FlattenShape),
        new LayerDefinition("Dropout", [new("p", ArgumentValue.Float(0.5)), new("inplace", False)],
            (a, g) => new Dropout(a.Float("p"), g), Unchanged),
        new LayerDefinition("Softmax", [new("dim", ArgumentValue.None)], (a, _) => new Softmax(Dim(a)), Unchanged),
        new LayerDefinition("LogSoftmax", [new("dim", ArgumentValue.None)], (a, _) => new LogSoftmax(Dim(a)), Unchanged),
    }.Concat(ImageLayers.Definitions).Concat(SequenceLayers.Definitions).Concat(RecurrentLayers.Definitions).Concat(ModelLayers.Definitions)
        .Concat(Activation.All.Select(a => new LayerDefinition(a.ClassName, a.Parameters, (arguments, _) => a.CreateModule(arguments), Unchanged))).ToDictionary(d => d.Name);

    /// <summary>Every layer name, in a stable order.</summary>
    public static IEnumerable<string> Names => Definitions.Keys;

    /// <summary>The layer called <paramref name="name"/>, or an error listing the known ones.</summary>
    public static LayerDefinition Find(string name) =>
        Definitions.TryGetValue(name, out var definition)
            ? definition
            : throw new ArgumentException($"architecture: unknown layer '{name}' (known: {string.Join(", ", Definitions.Keys)})");

    private static int Dim(LayerArguments a) => a["dim"].Kind == ArgumentKind.None ? -1 : a.Int("dim");

    private static int[] Unchanged(LayerArguments a, int[] input) => input;

    private static int[] LinearShape(LayerArguments a, int[] input)
    {
        int inFeatures = a.Int("in_features", 1);
        if (input.Length == 0) throw new LayerInputException("a scalar", "it needs a last axis of features");
        int features = input[^1];
        if (features != inFeatures) throw new LayerInputException(input.Length == 1 ? $"{features} features" : $"{features} features (the last axis of {Format(input)})");
        return [.. input[..^1], a.Int("out_features", 1)];
    }

    private static (string, int[])[] LinearState(LayerArguments a)
    {
        int inFeatures = a.Int("in_features", 1), outFeatures = a.Int("out_features", 1);
        return a.Bool("bias") ? [("weight", [outFeatures, inFeatures]), ("bias", [outFeatures])] : [("weight", [outFeatures, inFeatures])];
    }

    private static int[] FlattenShape(LayerArguments a, int[] input)
    {
        // The dims count the batch axis, as in PyTorch: start_dim=1 is the example's first axis.
        int rank = input.Length + 1;
        int start = a.Int("start_dim"), end = a.Int("end_dim");
        int first = start < 0 ? start + rank : start, last = end < 0 ? end + rank : end;
        if (first < 1 || last >= rank || first > last)
        {
            throw new LayerInputException($"examples of shape {Format(input)}", $"start_dim {start} and end_dim {end} must name example axes, in order, of a batch of rank {rank}");
        }
        // Counted in long: the sizes may come from a file, and a product that wrapped around could match a layer by accident.
        long merged = 1;
        for (int d = first - 1; d < last; d++)
        {
            merged *= input[d];
            if (merged > int.MaxValue) throw new LayerInputException($"examples of shape {Format(input)}", "the flattened axis would hold more values than one tensor can");
        }
        return [.. input[..(first - 1)], (int)merged, .. input[last..]];
    }

    /// <summary>A shape as the messages write it: [16, 5, 5].</summary>
    public static string Format(IEnumerable<int> shape) => $"[{string.Join(", ", shape)}]";
}

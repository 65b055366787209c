namespace Backprop.NN;

/// <summary>
/// A sequential network as text in PyTorch's constructor syntax, layers separated by commas:
/// <c>Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(1176, 10)</c>. It parses (positional and keyword
/// arguments as <c>torch.nn</c> names them), prints canonically, checks that the layers' shapes chain for a given input,
/// and builds the <see cref="Sequential"/>, whose parameter and buffer names are those of the same
/// <c>torch.nn.Sequential</c> (<c>0.weight</c>, <c>4.running_mean</c>, …). Model files carry the canonical text.
/// </summary>
public sealed class Architecture
{
    private Architecture(IReadOnlyList<LayerSpec> layers) => Layers = layers;

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Reads the text; an unknown layer, a bad argument or bad syntax is an <see cref="ArgumentException"/> naming it.</summary>
    public static Architecture Parse(string text) => new([.. ArchitectureParser.Parse(text).Select(call => new LayerSpec(call))]);

    /// <summary>
    /// The multilayer perceptron of the MLP shorthand (layer sizes and one activation): Linear layers of the given sizes (inputs first) with
    /// <paramref name="activation"/> between them, <c>Linear(784, 128), ReLU(), Linear(128, 10)</c>.
    /// </summary>
    public static Architecture Mlp(IReadOnlyList<int> sizes, Activation activation)
    {
        string between = $"{activation.ClassName}()";
        return Parse(string.Join($", {between}, ", Enumerable.Range(0, sizes.Count - 1).Select(i => $"Linear({sizes[i]}, {sizes[i + 1]})")));
    }

    /// <summary>The canonical text: each layer canonical (see <see cref="LayerSpec"/>), joined by ", ".</summary>
    public override string ToString() => string.Join(", ", Layers);

    /// <summary>
    /// The network, its weights initialised as PyTorch's from <paramref name="generator"/>: a <see cref="Sequential"/> of the
    /// layers, except that an architecture of one whole model (<c>GPT(…)</c>) is that model itself, as a PyTorch user's
    /// <c>GPT(config)</c> is not wrapped in <c>nn.Sequential</c>: its state-dict keys are the model's own
    /// (<c>transformer.wte.weight</c>, not <c>0.transformer.wte.weight</c>).
    /// </summary>
    public Module Build(Generator? generator = null) => IsModel ? Layers[0].Build(generator) : new Sequential([.. Layers.Select(layer => layer.Build(generator))]);

    /// <summary>Whether the architecture is one whole model (see <see cref="Build"/>).</summary>
    public bool IsModel => Layers is [{ IsModel: true }];

    /// <summary>
    /// The state dict that <see cref="Build"/> would give, as names and shapes (<c>0.weight</c> [6, 1, 5, 5], <c>0.bias</c>
    /// [6], …, in the same order), derived from the text without building a layer or allocating a tensor, as PyTorch's meta
    /// device gives them: a file's tensors are checked against it before the model is built. A tensor too large to exist
    /// is an <see cref="ArgumentException"/> naming its layer.
    /// </summary>
    public OrderedDictionary<string, Shape> StateShapes() => new(NamedStateShapes().Select(entry => KeyValuePair.Create(entry.Name, entry.Shape)));

    /// <summary>
    /// The entries of <see cref="StateShapes"/>, each with the layer it belongs to and, for an entry that is another's tensor
    /// under a second name (a tied weight), that other entry's name.
    /// </summary>
    internal IEnumerable<(string Name, Shape Shape, LayerSpec Layer, string? TiedTo)> NamedStateShapes() =>
        Layers.SelectMany((layer, i) =>
        {
            string prefix = IsModel ? "" : $"{i}.";
            return layer.StateShapes().Select(entry => (prefix + entry.Name, entry.Shape, layer,
                layer.Ties.FirstOrDefault(tie => tie.Name == entry.Name).TiedTo is { } tiedTo ? prefix + tiedTo : null));
        });

    /// <summary>
    /// The shape of one example's output for an example of shape <paramref name="inputShape"/> (no batch axis), or an
    /// <see cref="ArgumentException"/> naming the first layer whose input does not fit and where that input comes from:
    /// "Linear(400, 120) gets 576 features from Flatten()".
    /// </summary>
    public int[] OutputShape(IReadOnlyList<int> inputShape)
    {
        int[] shape = [.. inputShape];
        for (int i = 0; i < Layers.Count; i++)
        {
            try
            {
                shape = Layers[i].OutputShape(shape);
            }
            catch (LayerInputException e)
            {
                string source = i == 0 ? $"the input {LayerCatalog.Format(inputShape)}" : Layers[i - 1].ToString();
                throw new ArgumentException($"architecture: {Layers[i]} gets {e.What} from {source}{(e.Reason is null ? "" : $": {e.Reason}")}");
            }
        }
        return shape;
    }
}

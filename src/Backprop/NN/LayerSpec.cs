namespace Backprop.NN;

/// <summary>
/// One layer of an <see cref="Architecture"/>: a known layer with its arguments bound to the constructor's parameters.
/// It prints canonically: required arguments by position, the others by keyword and only where they differ from the
/// default (<c>Conv2d(1, 6, 5, padding=2)</c>).
/// </summary>
public sealed class LayerSpec
{
    private readonly LayerDefinition definition;
    private readonly Dictionary<string, ArgumentValue> values;

    internal LayerSpec(LayerCall call)
    {
        definition = LayerCatalog.Find(call.Name);
        var parameters = definition.Parameters;
        string signature = $"{definition.Name}({string.Join(", ", parameters.Select(p => p.Default is null ? p.Name : $"{p.Name}={p.Default}"))})";
        if (call.Positional.Count > parameters.Length)
        {
            throw new ArgumentException($"architecture: {call}: takes at most {parameters.Length} arguments, got {call.Positional.Count} ({signature})");
        }
        values = [];
        for (int i = 0; i < call.Positional.Count; i++) values[parameters[i].Name] = call.Positional[i];
        foreach (var (name, value) in call.Keywords)
        {
            if (!parameters.Any(p => p.Name == name)) throw new ArgumentException($"architecture: {call}: no argument '{name}' ({signature})");
            if (!values.TryAdd(name, value)) throw new ArgumentException($"architecture: {call}: '{name}' given by position and by keyword");
        }
        foreach (var p in parameters)
        {
            if (values.ContainsKey(p.Name)) continue;
            values[p.Name] = p.Default ?? throw new ArgumentException($"architecture: {call}: missing '{p.Name}' ({signature})");
        }
        Arguments = new LayerArguments(values, ToString());
    }

    /// <summary>The layer's <c>torch.nn</c> class name.</summary>
    public string Name => definition.Name;

    /// <summary>Whether this is a whole model (GPT), built unwrapped when an architecture is this layer alone.</summary>
    internal bool IsModel => definition.IsModel;

    /// <summary>State entries that are one tensor under two names (see <see cref="LayerDefinition.Ties"/>).</summary>
    internal IReadOnlyList<(string Name, string TiedTo)> Ties => definition.Ties;

    /// <summary>The bound arguments.</summary>
    public LayerArguments Arguments { get; }

    /// <summary>The module this layer describes, its weights initialised as PyTorch's from <paramref name="generator"/>.</summary>
    public Module Build(Generator? generator = null) => definition.Build(Arguments, generator);

    /// <summary>
    /// The parameters and persistent buffers <see cref="Build"/> registers (weight, bias, running_mean, …) with their
    /// shapes, derived from the arguments alone; a tensor too large to exist is an <see cref="ArgumentException"/> naming the layer.
    /// </summary>
    internal IEnumerable<(string Name, Shape Shape)> StateShapes()
    {
        foreach (var (name, dims) in definition.State?.Invoke(Arguments) ?? [])
        {
            Shape shape;
            try
            {
                shape = new Shape(dims);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"architecture: {this}: its {name} of shape {LayerCatalog.Format(dims)} holds more values than one tensor can");
            }
            yield return (name, shape);
        }
    }

    /// <summary>The shape of one example after this layer (throws <see cref="LayerInputException"/> when the input does not fit).</summary>
    internal int[] OutputShape(int[] input) => definition.OutputShape(Arguments, input);

    /// <summary>The canonical text.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (var p in definition.Parameters)
        {
            if (p.Default is null) parts.Add(values[p.Name].ToString());
            else if (!values[p.Name].Equals(p.Default)) parts.Add($"{p.Name}={values[p.Name]}");
        }
        return $"{Name}({string.Join(", ", parts)})";
    }
}

namespace Backprop.NN;

/// <summary>
/// One layer as the architecture text writes it, a constructor call such as <c>Conv2d(1, 6, 5, padding=2)</c>: the layer's
/// name, its positional arguments and its keyword arguments, as given (not yet checked against the layer's signature).
/// </summary>
public sealed record LayerCall(string Name, IReadOnlyList<ArgumentValue> Positional, IReadOnlyList<KeyValuePair<string, ArgumentValue>> Keywords)
{
    /// <summary>The call as written: <c>Name(positional…, key=value…)</c>.</summary>
    public override string ToString() =>
        $"{Name}({string.Join(", ", Positional.Select(v => v.ToString()).Concat(Keywords.Select(k => $"{k.Key}={k.Value}")))})";
}

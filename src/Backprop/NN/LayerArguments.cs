namespace Backprop.NN;

/// <summary>
/// A layer's arguments bound to its constructor's parameters (defaults filled in), with typed accessors whose errors name
/// the layer and the argument: "Conv2d(1, 6, 0): kernel_size must be at least 1, got 0".
/// </summary>
public sealed class LayerArguments
{
    private readonly IReadOnlyDictionary<string, ArgumentValue> values;
    private readonly string layer;

    internal LayerArguments(IReadOnlyDictionary<string, ArgumentValue> values, string layer)
    {
        this.values = values;
        this.layer = layer;
    }

    /// <summary>The value of <paramref name="name"/>, given or default.</summary>
    public ArgumentValue this[string name] => values[name];

    /// <summary>An integer of at least <paramref name="min"/>.</summary>
    public int Int(string name, int min = int.MinValue)
    {
        var value = values[name];
        if (value.Kind != ArgumentKind.Int) throw Problem(name, $"must be an integer, got {value}");
        return InRange(name, value.Number, min);
    }

    /// <summary>A number (an integer is taken as a float, as Python does).</summary>
    public double Float(string name)
    {
        var value = values[name];
        if (value.Kind is not (ArgumentKind.Float or ArgumentKind.Int)) throw Problem(name, $"must be a number, got {value}");
        return value.Number;
    }

    /// <summary>True or False.</summary>
    public bool Bool(string name)
    {
        var value = values[name];
        if (value.Kind != ArgumentKind.Bool) throw Problem(name, $"must be True or False, got {value}");
        return value.Number != 0;
    }

    /// <summary>A string, one of <paramref name="choices"/> (as <c>approximate='tanh'</c>).</summary>
    public string Choice(string name, IReadOnlyList<string> choices)
    {
        var value = values[name];
        if (value.Kind != ArgumentKind.String || !choices.Contains(value.Text))
        {
            throw Problem(name, $"must be one of {string.Join(", ", choices.Select(c => $"'{c}'"))}, got {value}");
        }
        return value.Text!;
    }

    /// <summary>An integer for both axes, or a pair of integers (height, width), each at least <paramref name="min"/>.</summary>
    public (int Height, int Width) Pair(string name, int min)
    {
        var value = values[name];
        if (value.Kind == ArgumentKind.Int) return (InRange(name, value.Number, min), InRange(name, value.Number, min));
        if (value.Kind == ArgumentKind.Tuple && value.Items.Count == 2 && value.Items.All(i => i.Kind == ArgumentKind.Int))
        {
            return (InRange(name, value.Items[0].Number, min), InRange(name, value.Items[1].Number, min));
        }
        throw Problem(name, $"must be an integer or a pair of integers, got {value}");
    }

    /// <summary>Like <see cref="Pair"/>, or null for None.</summary>
    public (int Height, int Width)? OptionalPair(string name, int min) => values[name].Kind == ArgumentKind.None ? null : Pair(name, min);

    /// <summary>
    /// Refuses a value PyTorch accepts but Backprop does not implement (such as <c>ceil_mode=True</c>): anything but
    /// <paramref name="supported"/> is an error saying so.
    /// </summary>
    public void RequireSupported(string name, ArgumentValue supported)
    {
        if (!values[name].Equals(supported)) throw Problem(name, $"{values[name]} is not supported (only {supported})");
    }

    /// <summary>The layer, canonically written.</summary>
    public override string ToString() => layer;

    /// <summary>An error naming the layer and the argument.</summary>
    public ArgumentException Problem(string name, string problem) => new($"architecture: {layer}: {name} {problem}");

    private int InRange(string name, double value, int min)
    {
        if (value < min || value > int.MaxValue) throw Problem(name, $"must be at least {min}, got {value}");
        return (int)value;
    }
}

using System.Globalization;

namespace Backprop.NN;

/// <summary>The kinds of value the architecture text holds, as Python writes them.</summary>
public enum ArgumentKind
{
    /// <summary>An integer, such as <c>5</c>.</summary>
    Int,

    /// <summary>A floating-point number, such as <c>0.1</c> or <c>1e-05</c>.</summary>
    Float,

    /// <summary><c>True</c> or <c>False</c>.</summary>
    Bool,

    /// <summary>A quoted string, such as <c>'same'</c>.</summary>
    String,

    /// <summary><c>None</c>.</summary>
    None,

    /// <summary>A tuple of values, such as <c>(2, 2)</c>.</summary>
    Tuple,
}

/// <summary>
/// One argument value of a layer in the architecture text. It prints as Python does (<c>True</c>, <c>'same'</c>,
/// <c>1e-05</c>, <c>(2, 2)</c>). Two values are equal as in Python: numbers by value (<c>1 == 1.0</c>), the rest when
/// they print the same.
/// </summary>
public sealed class ArgumentValue : IEquatable<ArgumentValue>
{
    private ArgumentValue(ArgumentKind kind, double number = 0, string? text = null, IReadOnlyList<ArgumentValue>? items = null)
    {
        Kind = kind;
        Number = number;
        Text = text;
        Items = items ?? [];
    }

    /// <summary>What kind of value this is.</summary>
    public ArgumentKind Kind { get; }

    /// <summary>The number of an Int, Float or Bool (1 for True).</summary>
    public double Number { get; }

    /// <summary>The text of a String.</summary>
    public string? Text { get; }

    /// <summary>The items of a Tuple.</summary>
    public IReadOnlyList<ArgumentValue> Items { get; }

    /// <summary>An integer.</summary>
    public static ArgumentValue Int(long value) => new(ArgumentKind.Int, value);

    /// <summary>A floating-point number.</summary>
    public static ArgumentValue Float(double value) => new(ArgumentKind.Float, value);

    /// <summary>True or False.</summary>
    public static ArgumentValue Bool(bool value) => new(ArgumentKind.Bool, value ? 1 : 0);

    /// <summary>A string.</summary>
    public static ArgumentValue String(string value) => new(ArgumentKind.String, text: value);

    /// <summary>None.</summary>
    public static ArgumentValue None { get; } = new(ArgumentKind.None);

    /// <summary>A tuple.</summary>
    public static ArgumentValue Tuple(params ArgumentValue[] items) => new(ArgumentKind.Tuple, items: items);

    /// <summary>A tuple of integers.</summary>
    public static ArgumentValue Ints(params int[] items) => Tuple([.. items.Select(i => Int(i))]);

    /// <summary>The value as Python writes it.</summary>
    public override string ToString() => Kind switch
    {
        ArgumentKind.Int => ((long)Number).ToString(CultureInfo.InvariantCulture),
        ArgumentKind.Float => FormatFloat(Number),
        ArgumentKind.Bool => Number != 0 ? "True" : "False",
        ArgumentKind.String => $"'{Text}'",
        ArgumentKind.None => "None",
        _ => Items.Count == 1 ? $"({Items[0]},)" : $"({string.Join(", ", Items)})",
    };

    /// <inheritdoc/>
    public bool Equals(ArgumentValue? other) =>
        other is not null && (IsNumber && other.IsNumber ? Number == other.Number : ToString() == other.ToString());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ArgumentValue);

    /// <inheritdoc/>
    public override int GetHashCode() => IsNumber ? Number.GetHashCode() : ToString().GetHashCode(StringComparison.Ordinal);

    private bool IsNumber => Kind is ArgumentKind.Int or ArgumentKind.Float;

    /// <summary>Python's repr of a float: the shortest round-trip digits, always with a point or an exponent (1.0, 0.1, 1e-05).</summary>
    private static string FormatFloat(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return text.Contains('.') || text.Contains('e') || text == "nan" ? text : text + ".0";
    }
}

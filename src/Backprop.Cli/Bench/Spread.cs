namespace Backprop.Cli.Bench;

/// <summary>
/// The median of repeated measurements with their minimum and maximum, printed as "median [min, max]". A measuring tool of
/// <c>backprop bench</c> and of bench/Compare (which compiles this file in), not part of the library.
/// </summary>
internal sealed record Spread(double Median, double Min, double Max)
{
    /// <summary>The spread of <paramref name="values"/> (at least one).</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("spread: needs at least one value");
        return new Spread(sorted[sorted.Length / 2], sorted[0], sorted[^1]);
    }

    /// <inheritdoc/>
    public override string ToString() => ToString("G4");

    /// <summary>"median [min, max]" with each number in <paramref name="format"/> (a .NET numeric format such as F1).</summary>
    public string ToString(string format) => $"{Median.ToString(format)} [{Min.ToString(format)}, {Max.ToString(format)}]";
}

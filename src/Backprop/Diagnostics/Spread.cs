namespace Backprop.Diagnostics;

/// <summary>The median of repeated measurements with their minimum and maximum, printed as "median [min, max]".</summary>
public sealed record Spread(double Median, double Min, double Max)
{
    /// <summary>The spread of <paramref name="values"/> (at least one).</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("spread: needs at least one value");
        return new Spread(sorted[sorted.Length / 2], sorted[0], sorted[^1]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Median:G4} [{Min:G4}, {Max:G4}]";
}

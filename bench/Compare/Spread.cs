namespace Compare;

/// <summary>The median of several runs with their minimum and maximum.</summary>
internal sealed record Spread(double Median, double Min, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Spread(sorted[sorted.Length / 2], sorted[0], sorted[^1]);
    }

    public override string ToString() => $"{Median:G4} [{Min:G4}, {Max:G4}]";
}

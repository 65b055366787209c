namespace Backprop.Playground.Components;

/// <summary>One axis of a chart: a range widened to round numbers and the ticks at those round numbers (1, 2 or 5 × 10ⁿ).</summary>
public sealed record ChartAxis(double Min, double Max, IReadOnlyList<double> Ticks)
{
    /// <summary>The smallest round range containing [<paramref name="low"/>, <paramref name="high"/>], with about <paramref name="ticks"/> intervals.</summary>
    public static ChartAxis Covering(double low, double high, int ticks = 5)
    {
        if (!(high > low)) high = low + Math.Max(1, Math.Abs(low));
        double step = RoundStep((high - low) / ticks);
        double min = Math.Floor(low / step) * step, max = Math.Ceiling(high / step) * step;
        // Near double.MaxValue rounding outwards overflows: keep the exact bound there.
        if (!double.IsFinite(min)) min = low;
        if (!double.IsFinite(max)) max = high;
        var marks = new List<double>();
        for (int k = 0; k <= 2 * ticks + 2; k++)
        {
            double mark = min + k * step;
            if (!(mark <= max + step * 1e-9)) break;
            marks.Add(mark);
        }
        return new ChartAxis(min, max, marks);
    }

    /// <summary>Where <paramref name="value"/> falls on the axis, 0 at Min and 1 at Max, clamped to [0, 1] so nothing leaves the chart.</summary>
    public double Fraction(double value)
    {
        if (double.IsNaN(value)) return 0;
        double fraction = (value - Min) / (Max - Min);
        return double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1);
    }

    private static double RoundStep(double rough)
    {
        if (!double.IsFinite(rough) || rough <= 0) return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double scaled = rough / power;
        return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
    }
}

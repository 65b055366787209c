using System.Globalization;

namespace Backprop.Cli;

/// <summary>How the command line writes numbers: up to six decimals between 1e-4 and 1000, six significant digits in scientific notation otherwise.</summary>
internal static class Number
{
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return "0"; // also for −0, which would print as "-0"
        double magnitude = Math.Abs(value);
        return value.ToString(magnitude >= 1e-4 && magnitude < 1e3 ? "0.######" : "0.#####e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>" (p/q)" when the value is a fraction with a small denominator that six decimals cannot show exactly, else "".</summary>
    public static string FractionSuffix(double value)
    {
        for (int denominator = 2; denominator <= 100; denominator++)
        {
            double numerator = Math.Round(value * denominator);
            bool exact = Math.Abs(numerator / denominator - value) < 1e-12 * Math.Max(1, Math.Abs(value));
            if (exact) return Math.Round(value * 1e6) / 1e6 == value ? "" : $" ({numerator}/{denominator})";
        }
        return "";
    }
}

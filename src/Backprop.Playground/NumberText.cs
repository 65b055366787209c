using System.Globalization;

namespace Backprop.Playground;

/// <summary>
/// How the page writes numbers: up to six significant digits in the invariant culture (0.59, 0.4745, 0.410975), with
/// scientific notation only below 1e-5 or from 1e6 on. The command line's own formatter is internal to it.
/// </summary>
public static class NumberText
{
    public static string Of(double value, int digits = 6)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "-∞";
        if (value == 0) return "0"; // also for −0, which would print as "-0"
        string text = value.ToString("G" + digits, CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e < 0) return text;
        // 1E-06 → 1e-6, 1.52873E+154 → 1.52873e+154
        return $"{text[..e]}e{text[e + 1]}{text[(e + 2)..].TrimStart('0')}";
    }

    /// <summary>As <see cref="Of"/> with a typeset minus sign (−), for equations.</summary>
    public static string Signed(double value) => value < 0 ? "−" + Of(-value) : Of(value);

    /// <summary>As <see cref="Signed"/>, in parentheses when negative, for a number written after an operator: 0.8 − 0.1·(−2.1).</summary>
    public static string Term(double value) => value < 0 ? $"({Signed(value)})" : Of(value);
}

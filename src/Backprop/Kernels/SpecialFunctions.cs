namespace Backprop.Kernels;

/// <summary>Functions .NET's Math lacks, to double precision.</summary>
internal static class SpecialFunctions
{
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);
    private static readonly double InvSqrtTwoPi = 1.0 / Math.Sqrt(2.0 * Math.PI);

    /// <summary>
    /// The error function, from the series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose terms are all
    /// positive (no cancellation); beyond |x| = 6, erf(x) is ±1 to double precision.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        if (Math.Abs(x) >= 6) return Math.Sign(x);
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>The standard normal distribution function Φ(x) = (1 + erf(x/√2)) / 2.</summary>
    public static double NormalCdf(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>The standard normal density φ(x) = e^(−x²/2) / √(2π).</summary>
    public static double NormalPdf(double x) => InvSqrtTwoPi * Math.Exp(-0.5 * x * x);
}

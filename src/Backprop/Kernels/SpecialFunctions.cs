using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// Functions .NET's Math lacks, to double precision, computed on whole vectors of doubles (every lane the same formula,
/// no branch), so that an activation over a float tensor runs in SIMD and still rounds to the nearest float.
/// </summary>
internal static class SpecialFunctions
{
    private const double InvSqrtTwo = 0.70710678118654752440;
    private const double InvSqrtTwoPi = 0.39894228040143267794;

    /// <summary>
    /// Chebyshev coefficients c₀ … c₂₇ of S(u) = ln(erfc(z)·e^(z²)/t), t = 2/(2 + z), u = 2t − 1, over u ∈ [−1, 1], which
    /// covers z from 0 to ∞ (Numerical Recipes' erfccheb, 3rd ed. §6.2.2). scripts/erfc-chebyshev.py computes them with
    /// mpmath; the relative error of erfc so computed stays below 2.5e-14 over z ∈ [0, 10] (most of it the rounding of
    /// z² inside the exponential), and erf's absolute error below 5e-16. (c₀ is halved, so the sum is c₀ + Σ cⱼ·Tⱼ(u).)
    /// </summary>
    private static readonly double[] Coefficients =
    [
        -0.6513268598908547, 0.6419697923564902, 0.019476473204185836, -0.009561514786808632,
        -0.0009465953444820369, 0.00036683949785276145, 4.252332480690777e-05, -2.0278578112534242e-05,
        -1.6242900046470256e-06, 1.3036558355805232e-06, 1.5626441722066142e-08, -8.523809591492654e-08,
        6.5290544390988515e-09, 5.0593434955514685e-09, -9.913641564930322e-10, -2.2736512229318417e-10,
        9.646791102014962e-11, 2.394038083065756e-12, -6.886027526536277e-12, 8.944879271730368e-13,
        3.130921408127142e-13, -1.1270822525221733e-13, 3.8108713588528985e-16, 7.106125536922576e-15,
        -1.5230878975373303e-15, -9.464871412184462e-17, 1.218683266906788e-16, -3.0494735135424696e-17,
    ];

    /// <summary>
    /// The complementary error function erfc(z) = t·exp(−z² + S(u)) in each lane, for z ≥ 0 (NaN stays NaN). Relative
    /// accuracy is kept in the tail, where 1 − erf(z) would cancel. The recurrence's step is one fused multiply-add on
    /// its critical path (exact on every vector path, emulated where the hardware lacks FMA), so lanes round alike everywhere.
    /// </summary>
    public static Vector<double> Erfc(Vector<double> z)
    {
        var two = new Vector<double>(2.0);
        var t = two / (two + z);
        var u = t + t - Vector<double>.One;
        var u2 = u + u;
        // Clenshaw's recurrence for c₀ + Σ cⱼ·Tⱼ(u).
        Vector<double> d = Vector<double>.Zero, dd = Vector<double>.Zero;
        ReadOnlySpan<double> c = Coefficients;
        for (int j = c.Length - 1; j > 0; j--) (d, dd) = (Vector.FusedMultiplyAdd(u2, d, new Vector<double>(c[j]) - dd), d);
        var s = Vector.FusedMultiplyAdd(u, d, new Vector<double>(c[0]) - dd);
        return t * Vector.Exp(s - z * z);
    }

    /// <summary>The error function of one value, erf(x) = ±(1 − erfc(|x|)), through the vector form.</summary>
    public static double Erf(double x) => Math.CopySign(1 - Erfc(new Vector<double>(Math.Abs(x)))[0], x);

    /// <summary>
    /// The standard normal distribution function Φ(x) = erfc(−x/√2)/2 in each lane: for x &lt; 0 straight from erfc, so
    /// that the left tail keeps its relative accuracy; for x ≥ 0 as 1 − erfc(x/√2)/2.
    /// </summary>
    public static Vector<double> NormalCdf(Vector<double> x)
    {
        var half = new Vector<double>(0.5);
        var tail = half * Erfc(Vector.Abs(x) * new Vector<double>(InvSqrtTwo));
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), tail, Vector<double>.One - tail);
    }

    /// <summary>The standard normal density φ(x) = e^(−x²/2)/√(2π) in each lane.</summary>
    public static Vector<double> NormalPdf(Vector<double> x) => new Vector<double>(InvSqrtTwoPi) * Vector.Exp(x * x * new Vector<double>(-0.5));
}

using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// Adam's update of one parameter in one pass over its values, with no temporary arrays: per element,
/// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w + stepSize·m / (√v / √(1 − β₂ᵗ) + ε). Each product, quotient and
/// sum is rounded on its own, in the order the same formula written with tensor ops rounds them (no fused multiply-add),
/// so the results are those of the unfused update to the last bit.
/// </summary>
internal static class AdamKernel
{
    /// <summary>The update's constants in the parameter's precision, converted from double once per step.</summary>
    public readonly struct Coefficients<T>(double beta1, double beta2, double sqrtBiasCorrection2, double eps, double stepSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T Beta1 = T.CreateTruncating(beta1), OneMinusBeta1 = T.CreateTruncating(1 - beta1);
        public readonly T Beta2 = T.CreateTruncating(beta2), OneMinusBeta2 = T.CreateTruncating(1 - beta2);
        public readonly T SqrtBiasCorrection2 = T.CreateTruncating(sqrtBiasCorrection2), Eps = T.CreateTruncating(eps);
        public readonly T StepSize = T.CreateTruncating(stepSize);
    }

    public static void Step<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> m, Span<T> v, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= parameter.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradient[i..]);
                var mi = new Vector<T>(m[i..]) * c.Beta1;
                mi = g * c.OneMinusBeta1 + mi;
                var vi = new Vector<T>(v[i..]) * c.Beta2;
                vi = g * g * c.OneMinusBeta2 + vi;
                var denominator = Vector.SquareRoot(vi) / new Vector<T>(c.SqrtBiasCorrection2) + new Vector<T>(c.Eps);
                var w = mi / denominator * c.StepSize + new Vector<T>(parameter[i..]);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                w.CopyTo(parameter[i..]);
            }
        }
        for (; i < parameter.Length; i++)
        {
            T g = gradient[i];
            T mi = m[i] * c.Beta1;
            m[i] = mi = g * c.OneMinusBeta1 + mi;
            T vi = v[i] * c.Beta2;
            v[i] = vi = g * g * c.OneMinusBeta2 + vi;
            parameter[i] = mi / (T.Sqrt(vi) / c.SqrtBiasCorrection2 + c.Eps) * c.StepSize + parameter[i];
        }
    }
}

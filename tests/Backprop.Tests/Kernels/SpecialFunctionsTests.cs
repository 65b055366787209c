using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class SpecialFunctionsTests
{
    // Reference values of erf from Abramowitz & Stegun, table 7.1, and standard tables to 16 digits.
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(7.0, 1.0)]
    public void ErfMatchesTables(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Erf(x), tolerance: 1e-15);

    // erfc to 17 digits from mpmath (mp.dps = 30): the tail keeps its relative accuracy, where 1 − erf(z) would be 0.
    [Theory]
    [InlineData(0.5, 0.47950012218695346)]
    [InlineData(2.0, 0.0046777349810472658)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    [InlineData(10.0, 2.0884875837625448e-45)]
    public void ErfcIsRelativelyAccurateInTheTail(double z, double expected)
    {
        double erfc = SpecialFunctions.Erfc(new Vector<double>(z))[0];
        Assert.InRange(Math.Abs(erfc - expected) / expected, 0, 2e-14);
    }

    // x·Φ(x) and Φ(x) + x·φ(x) from mpmath (ncdf, npdf): the left tail of GELU and its derivative to 13 digits.
    [Theory]
    [InlineData(-10.0, -7.6198530241605261e-23, -7.6184000964648141e-22)]
    [InlineData(-5.0, -1.4332578593959696e-6, -7.1469460017922946e-6)]
    [InlineData(3.0, 2.9959503059051097, 1.0119456472041839)]
    public void GeluAndItsDerivativeKeepTheirTails(double x, double gelu, double derivative)
    {
        Span<double> y = stackalloc double[1];
        new ActivationKernels.Gelu().Apply<double>([x], y);
        Assert.InRange(Math.Abs(y[0] - gelu) / Math.Abs(gelu), 0, 1e-13);
        new ActivationKernels.GeluDerivative().Apply<double>([x], y);
        Assert.InRange(Math.Abs(y[0] - derivative) / Math.Abs(derivative), 0, 1e-13);
    }

    // Float GELU is the double formula rounded once, on one thread or split between two, at every length (tails included).
    [Fact]
    public void FloatGeluIsTheDoubleValueRounded()
    {
        foreach (int length in new[] { 1, 7, 40001, 70001 })
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = -15f + 23f * i / length;
            var wide = Array.ConvertAll(x, v => (double)v);
            var expected = new double[length];
            new ActivationKernels.Gelu().Apply<double>(wide, expected);
            foreach (int threads in new[] { 1, 2 })
            {
                var y = new float[length];
                ThreadSettings.With(threads, () => new ActivationKernels.Gelu().Apply<float>(x, y));
                for (int i = 0; i < length; i++) Assert.Equal((float)expected[i], y[i]);
            }
        }
    }
}

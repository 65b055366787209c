using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class GemmTests
{
    /// <summary>The textbook triple loop, reading op(A) and op(B) through their flags.</summary>
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, double[] a, double[] b)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        for (int p = 0; p < k; p++)
        {
            c[i * n + j] += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        }
        return c;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void EveryTransposeCombinationMatchesTheReference(bool ta, bool tb)
    {
        var g = new Generator(11);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 5, 7), (17, 9, 33), (16, 16, 16), (67, 1, 5), (2, 67, 19) })
        {
            var a = Enumerable.Range(0, m * k).Select(_ => g.NextDouble() - 0.5).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => g.NextDouble() - 0.5).ToArray();
            var c = new double[m * n];
            Gemm.Multiply<double>(ta, tb, m, n, k, a, b, c);
            var expected = Reference(ta, tb, m, n, k, a, b);
            for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], tolerance: 1e-12);
        }
    }

    [Fact]
    public void Float32PathAgreesWithinSinglePrecision()
    {
        var g = new Generator(12);
        int m = 13, n = 21, k = 40;
        var a = Enumerable.Range(0, m * k).Select(_ => g.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => g.NextDouble() - 0.5).ToArray();
        var c = new float[m * n];
        Gemm.Multiply<float>(false, false, m, n, k, a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), c);
        var expected = Reference(false, false, m, n, k, a, b);
        for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], tolerance: 1e-5);
    }
}

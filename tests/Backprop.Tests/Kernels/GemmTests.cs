using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class GemmTests
{
    /// <summary>A float32 product C = op(A)·op(B): <see cref="Gemm.Multiply"/>, or the kernel of one vector width.</summary>
    private delegate void Product(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c);

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

    public static TheoryData<bool, bool> TransposeFlags() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    /// <summary>
    /// The blocked float32 kernel against the double-precision reference, for sizes 1 to 67 on every axis (not multiples
    /// of the vector width or the 6-row tile) and sizes that cross the k-, row- and column-block boundaries.
    /// </summary>
    [Theory]
    [MemberData(nameof(TransposeFlags))]
    public void BlockedFloat32KernelMatchesTheReference(bool ta, bool tb)
    {
        var g = new Generator(21);
        var shapes = new List<(int M, int N, int K)>();
        int[] odd = [1, 2, 3, 5, 6, 7, 8, 13, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 67];
        for (int i = 0; i < 60; i++) shapes.Add((odd[g.NextInt(odd.Length)], odd[g.NextInt(odd.Length)], odd[g.NextInt(odd.Length)]));
        for (int size = 1; size <= 67; size++) shapes.Add((size, 67 - size + 1, size));
        shapes.AddRange([(200, 70, 500), (97, 2100, 3), (64, 128, 784)]);
        foreach (var (m, n, k) in shapes) CheckAgainstReference(g, ta, tb, m, n, k);
    }

    /// <summary>
    /// The kernel compiled for each vector width this process runs (all three on an AVX-512 machine; fewer on a path forced
    /// narrower, see <see cref="VectorPath"/>) against the reference. Where every width fuses its multiply-adds, the packed
    /// kernel sums each element of C over k in the same order whatever the width, so the widths agree to the bit; the
    /// row-dot kernel (A·Bᵀ) adds a vector's lanes at the end, in an order that depends on the width.
    /// </summary>
    [Theory]
    [MemberData(nameof(TransposeFlags))]
    public void EveryVectorWidthMatchesTheReference(bool ta, bool tb)
    {
        var g = new Generator(22);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 9, 5), (13, 33, 40), (8, 64, 17), (67, 65, 300), (96, 130, 64) })
        {
            var widths = new List<Product>();
            if (Vector512.IsHardwareAccelerated) widths.Add(Sgemm.Multiply<Vector512Ops, Vector512<float>>);
            if (Vector256.IsHardwareAccelerated) widths.Add(Sgemm.Multiply<Vector256Ops, Vector256<float>>);
            if (Vector128.IsHardwareAccelerated) widths.Add(Sgemm.Multiply<Vector128Ops, Vector128<float>>);
            var a = Enumerable.Range(0, m * k).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
            var products = widths.Select(multiply => CheckAgainstReference(multiply, a, b, ta, tb, m, n, k)).ToList();
            bool sameOrder = !(tb && !ta) && Fma.IsSupported;
            if (sameOrder) Assert.All(products, product => Assert.Equal(products[0], product));
        }
    }

    /// <summary>Splitting C between two threads must not change a single bit, for either kernel and either split direction.</summary>
    [Theory]
    [InlineData(false, true, 300, 90, 250)]
    [InlineData(false, true, 70, 300, 100)]
    [InlineData(false, false, 300, 90, 250)]
    [InlineData(true, false, 90, 301, 77)]
    public void ParallelPathGivesBitIdenticalResultsForAnyThreadCount(bool ta, bool tb, int m, int n, int k)
    {
        var g = new Generator(5);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        var sequential = new float[m * n];
        Sgemm.Multiply(ta, tb, m, n, k, a, b, sequential); // below the threshold: one thread
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            var parallel = new float[m * n];
            ThreadSettings.With(threads, () => Sgemm.Multiply(ta, tb, m, n, k, a, b, parallel));
            Assert.Equal(sequential, parallel);
        }
    }

    private static void CheckAgainstReference(Generator g, bool ta, bool tb, int m, int n, int k)
    {
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(g.NextDouble() - 0.5)).ToArray();
        CheckAgainstReference(Gemm.Multiply<float>, a, b, ta, tb, m, n, k);
    }

    private static float[] CheckAgainstReference(Product multiply, float[] a, float[] b, bool ta, bool tb, int m, int n, int k)
    {
        var c = Enumerable.Repeat(float.NaN, m * n).ToArray(); // every element must be written
        multiply(ta, tb, m, n, k, a, b, c);
        var expected = Reference(ta, tb, m, n, k, a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray());
        double tolerance = 1e-6 * Math.Sqrt(k) + 1e-7;
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - c[i]) <= tolerance, $"m={m} n={n} k={k} ta={ta} tb={tb} element {i}: {c[i]} vs {expected[i]}");
        }
        return c;
    }
}

using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>
/// The Winograd F(2×2, 3×3) convolution (3×3, stride 1, 8 channels or more in and out) against the definition written out as loops:
/// the output and all three gradients, over odd sizes, paddings, rows of tiles wider than a vector and several chunks;
/// and the same bits for any number of threads.
/// </summary>
[Collection(WorkerThreadsCollection.Name)]
public class WinogradConv2dTests
{
    public static TheoryData<int, int, int, int, int, int> Shapes() => new()
    {
        { 2, 16, 16, 6, 6, 1 },   // whole tiles
        { 3, 16, 20, 7, 5, 1 },   // odd output sizes: half tiles at the bottom and right
        { 2, 17, 16, 5, 8, 0 },   // no padding, an odd number of output rows
        { 1, 16, 16, 4, 4, 2 },   // padding 2: the outer taps wholly in the padding
        { 1, 16, 18, 9, 37, 1 },  // rows of 19 tiles: several vectors per row, the last one partial
        { 20, 16, 16, 14, 14, 1 }, // five chunks of four examples
        { 9, 8, 8, 3, 5, 1 },     // planes narrower than a vector pair: stores that would run into the next plane
        { 7, 8, 9, 4, 4, 0 },     // one tile per plane: a vector reaches across several planes
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheDefinitionForwardAndBackward(int n, int c, int o, int h, int w, int padding)
    {
        var g = new Generator(23);
        var x = Tensor.Uniform([n, c, h, w], -1, 1, g, DType.Float64);
        var weight = Tensor.Uniform([o, c, 3, 3], -1, 1, g, DType.Float64);
        var bias = Tensor.Uniform([o], -1, 1, g, DType.Float64);
        int oh = h + 2 * padding - 2, ow = w + 2 * padding - 2;
        // Winograd wherever there is SIMD (Vector<T>), im2col on the scalar path: the same results either way.
        Assert.Equal(System.Numerics.Vector.IsHardwareAccelerated, WinogradConv2d.Fits(new Conv2dGeometry(n, c, h, w, o, 3, 3, 1, 1, padding, padding, 1, 1, 1, oh, ow)));
        var upstream = Tensor.Uniform([n, o, oh, ow], -1, 1, g, DType.Float64);
        var expected = Direct(x, weight, bias, upstream, padding);

        foreach (var (dtype, tolerance) in new[] { (DType.Float64, 1e-12), (DType.Float32, 1e-4) })
        {
            var (xt, wt, bt) = (x.To(dtype).Detach(), weight.To(dtype).Detach(), bias.To(dtype).Detach());
            foreach (var t in new[] { xt, wt, bt }) t.RequiresGrad = true;
            var y = xt.Conv2d(wt, bt, padding: padding);
            y.Backward(upstream.To(dtype));
            AssertClose(expected.Y, y.ToDoubleArray(), tolerance, $"{dtype} y");
            AssertClose(expected.Dx, xt.Grad!.ToDoubleArray(), tolerance, $"{dtype} dx");
            AssertClose(expected.Dw, wt.Grad!.ToDoubleArray(), tolerance * n, $"{dtype} dW");
            AssertClose(expected.Db, bt.Grad!.ToDoubleArray(), tolerance * n, $"{dtype} db");
        }
    }

    [Fact]
    public void OneTwoThreeAndEightThreadsGiveTheSameBits()
    {
        static float[][] Run(int threads)
        {
            float[][] results = [];
            ThreadSettings.With(threads, () =>
            {
                var g = new Generator(3);
                var x = Tensor.Randn([20, 16, 14, 14], g);
                var weight = Tensor.Randn([32, 16, 3, 3], g);
                var bias = Tensor.Randn([32], g);
                foreach (var t in new[] { x, weight, bias }) t.RequiresGrad = true;
                var y = x.Conv2d(weight, bias, padding: 1);
                y.Backward(Tensor.Randn(y.Shape, g));
                results = [y.ToFloatArray(), x.Grad!.ToFloatArray(), weight.Grad!.ToFloatArray(), bias.Grad!.ToFloatArray()];
            });
            return results;
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 8 }) Assert.Equal(one, Run(threads));
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance) Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>
    /// y[n, o, i, j] = b[o] + Σ_c,p,q W[o, c, p, q]·x[n, c, i − pad + p, j − pad + q] (zero outside), and for the output
    /// gradient gy: dx, dW and db as the sums of gy times what each value met.
    /// </summary>
    private static (double[] Y, double[] Dx, double[] Dw, double[] Db) Direct(Tensor x, Tensor w, Tensor b, Tensor gy, int pad)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], oh = gy.Shape[2], ow = gy.Shape[3];
        var (xs, ws, gs) = (x.ToDoubleArray(), w.ToDoubleArray(), gy.ToDoubleArray());
        var (y, dx, dw, db) = (new double[n * o * oh * ow], new double[xs.Length], new double[ws.Length], new double[o]);
        for (int s = 0; s < n; s++)
        for (int f = 0; f < o; f++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int at = ((s * o + f) * oh + i) * ow + j;
            double sum = b[f], upstream = gs[at];
            db[f] += upstream;
            for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < 3; p++)
            for (int q = 0; q < 3; q++)
            {
                int ih = i - pad + p, iw = j - pad + q;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                int xi = ((s * c + ch) * h + ih) * wd + iw, wi = ((f * c + ch) * 3 + p) * 3 + q;
                sum += ws[wi] * xs[xi];
                dx[xi] += upstream * ws[wi];
                dw[wi] += upstream * xs[xi];
            }
            y[at] = sum;
        }
        return (y, dx, dw, db);
    }
}

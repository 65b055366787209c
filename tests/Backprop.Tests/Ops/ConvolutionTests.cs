namespace Backprop.Tests.Ops;

/// <summary>
/// Conv2d's values against the definition written out as loops (cross-correlation, as PyTorch's conv2d), for strides,
/// paddings, dilations and groups; the float32 fast path against the float64 one; and its checks. Its derivatives are the
/// gradient-check table's; its agreement with PyTorch is PyTorchLayerFixtureTests'.
/// </summary>
public class ConvolutionTests
{
    /// <summary>y[n, o, i, j] = b[o] + Σ_c,p,q W[o, c, p, q]·x[n, g·C/G + c, i·sH − top + p·dH, j·sW − left + q·dW] (zero outside).</summary>
    private static double[] Direct(Tensor x, Tensor w, Tensor? b, (int H, int W) stride, (int Top, int Left) pad, (int H, int W) dilation, int groups, int oh, int ow)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        var result = new double[n * o * oh * ow];
        for (int s = 0; s < n; s++)
        for (int f = 0; f < o; f++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double sum = b is null ? 0 : b[f];
            int group = f / (o / groups);
            for (int ch = 0; ch < cg; ch++)
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int ih = i * stride.H - pad.Top + p * dilation.H, iw = j * stride.W - pad.Left + q * dilation.W;
                if (ih >= 0 && ih < h && iw >= 0 && iw < wd) sum += w[f, ch, p, q] * x[s, group * cg + ch, ih, iw];
            }
            result[((s * o + f) * oh + i) * ow + j] = sum;
        }
        return result;
    }

    public static TheoryData<string> Configurations() =>
        ["plain", "stride 2 padding 1", "dilation 2 padding (2, 1)", "groups 2 stride (1, 2)", "depthwise", "same even kernel", "no bias stride 3",
         "chunks of one example", "three chunks, the last short", "same padding dilation 2", "outer taps wholly in the padding"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesTheDefinition(string name)
    {
        var g = new Generator(17);
        // (input, weight, bias?, stride, padding as given, padding resolved top/left, dilation, groups)
        var (xShape, wShape, bias, stride, padding, pad, dilation, groups) = name switch
        {
            "plain" => (new[] { 2, 3, 6, 5 }, new[] { 4, 3, 3, 2 }, true, (1, 1), (Padding2d)0, (0, 0), (1, 1), 1),
            "stride 2 padding 1" => ([1, 2, 7, 8], [3, 2, 3, 3], true, (2, 2), 1, (1, 1), (1, 1), 1),
            "dilation 2 padding (2, 1)" => ([2, 1, 9, 7], [2, 1, 2, 3], true, (1, 1), (2, 1), (2, 1), (2, 2), 1),
            "groups 2 stride (1, 2)" => ([2, 4, 5, 9], [6, 2, 3, 3], true, (1, 2), 1, (1, 1), (1, 1), 2),
            "depthwise" => ([3, 3, 6, 6], [6, 1, 3, 3], true, (1, 1), 1, (1, 1), (1, 1), 3),
            "same even kernel" => ([1, 2, 5, 6], [3, 2, 4, 2], true, (1, 1), "same", (1, 0), (1, 1), 1),
            "no bias stride 3" => ([2, 2, 11, 10], [5, 2, 2, 2], false, (3, 3), 0, (0, 0), (1, 1), 1),
            // Large planes: each example is a chunk of its own (Conv2dChunks), here with groups.
            "same padding dilation 2" => ([2, 3, 8, 7], [4, 3, 3, 3], true, (1, 1), "same", (2, 2), (2, 2), 1),
            "outer taps wholly in the padding" => ([2, 2, 4, 2], [3, 2, 3, 7], true, (1, 1), (1, 3), (1, 3), (1, 1), 1),
            "chunks of one example" => ([3, 4, 29, 29], [6, 2, 3, 3], true, (1, 1), 1, (1, 1), (1, 1), 2),
            _ => ([20, 2, 10, 10], [3, 2, 3, 3], true, (1, 1), 1, (1, 1), (1, 1), 1),
        };
        var x = Tensor.Uniform(xShape, -1, 1, g, DType.Float64);
        var w = Tensor.Uniform(wShape, -1, 1, g, DType.Float64);
        var b = bias ? Tensor.Uniform([wShape[0]], -1, 1, g, DType.Float64) : null;
        var y = x.Conv2d(w, b, stride, padding, dilation, groups);
        var expected = Direct(x, w, b, stride, pad, dilation, groups, y.Shape[2], y.Shape[3]);
        var actual = y.ToDoubleArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);

        // The float32 path (SIMD GEMM) gives the same numbers to float32 rounding.
        var y32 = x.To(DType.Float32).Conv2d(w.To(DType.Float32), b?.To(DType.Float32), stride, padding, dilation, groups).ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y32[i], 1e-5);
    }

    [Theory]
    [InlineData(3, 4, 29, 2)] // a chunk per example
    [InlineData(20, 2, 10, 1)] // chunks of 7, 7 and 6 examples
    public void GradientsOverSeveralChunksAreTheSumsOverTheExamples(int n, int channels, int size, int groups)
    {
        // The batch is computed a chunk of examples at a time; each example alone is one chunk. The input's gradient is
        // the same sum in the same order either way; the weight's and the bias's are sums over examples, in float64 equal
        // to the per-example sums up to rounding.
        var g = new Generator(5);
        var x = Tensor.Uniform([n, channels, size, size], -1, 1, g, DType.Float64);
        var w = Tensor.Uniform([6, channels / groups, 3, 3], -1, 1, g, DType.Float64);
        var b = Tensor.Uniform([6], -1, 1, g, DType.Float64);
        foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
        var y = x.Conv2d(w, b, padding: 1, groups: groups);
        var upstream = Tensor.Uniform(y.Shape, -1, 1, g, DType.Float64);
        y.Backward(upstream);
        var dw = new double[w.Shape.NumElements];
        var db = new double[6];
        for (int e = 0; e < n; e++)
        {
            var example = x.Detach().Slice(0, e, e + 1);
            var (we, be) = (w.Detach(), b.Detach());
            foreach (var t in new[] { example, we, be }) t.RequiresGrad = true;
            example.Conv2d(we, be, padding: 1, groups: groups).Backward(upstream.Slice(0, e, e + 1));
            Assert.Equal(x.Grad!.Slice(0, e, e + 1).ToDoubleArray(), example.Grad!.ToDoubleArray());
            var (dwe, dbe) = (we.Grad!.ToDoubleArray(), be.Grad!.ToDoubleArray());
            for (int i = 0; i < dw.Length; i++) dw[i] += dwe[i];
            for (int i = 0; i < 6; i++) db[i] += dbe[i];
        }
        var (actualW, actualB) = (w.Grad!.ToDoubleArray(), b.Grad!.ToDoubleArray());
        for (int i = 0; i < dw.Length; i++) Assert.Equal(dw[i], actualW[i], 1e-10);
        for (int i = 0; i < 6; i++) Assert.Equal(db[i], actualB[i], 1e-10);
    }

    [Fact]
    public void GradientsWrittenIntoZeroedBuffersStillSumEveryUse()
    {
        // A trainer zeroes gradients in place: the input's and the weight's gradients are then written straight into their
        // buffers. Each used twice (two groups' worth of products each time), they must still get the sum of both uses, as
        // with fresh gradients.
        var g = new Generator(3);
        var x = Tensor.Uniform([2, 4, 5, 5], -1, 1, g);
        var w = Tensor.Uniform([6, 2, 3, 3], -1, 1, g);
        x.RequiresGrad = w.RequiresGrad = true;
        Tensor Loss() => (x.Conv2d(w, groups: 2, padding: 1).Sum() + (x.Conv2d(w, groups: 2) * 2).Sum());
        Loss().Backward();
        var (freshX, freshW) = (x.Grad!.ToFloatArray(), w.Grad!.ToFloatArray());
        for (int step = 0; step < 2; step++)
        {
            using var scope = new TensorScope();
            x.ZeroGrad(setToNone: false);
            w.ZeroGrad(setToNone: false);
            Loss().Backward();
        }
        Assert.Equal(freshX, x.Grad!.ToFloatArray());
        Assert.Equal(freshW, w.Grad!.ToFloatArray());
    }

    [Fact]
    public void ABatchGivesEachExampleTheNumbersItGetsAlone()
    {
        // The batch is computed a chunk of examples at a time, an example alone as one chunk: every output and input
        // gradient is the same sum in the same order either way, so they agree exactly.
        var g = new Generator(8);
        var x = Tensor.Uniform([8, 4, 20, 20], -1, 1, g);
        var w = Tensor.Uniform([6, 4, 3, 3], -1, 1, g);
        x.RequiresGrad = true;
        var y = x.Conv2d(w);
        var upstream = Tensor.Uniform(y.Shape, -1, 1, g);
        y.Backward(upstream);
        for (int n = 0; n < 8; n++)
        {
            var example = x.Detach().Slice(0, n, n + 1);
            example.RequiresGrad = true;
            var yn = example.Conv2d(w);
            Assert.Equal(y.Slice(0, n, n + 1).ToFloatArray(), yn.ToFloatArray());
            yn.Backward(upstream.Slice(0, n, n + 1));
            Assert.Equal(x.Grad!.Slice(0, n, n + 1).ToFloatArray(), example.Grad!.ToFloatArray());
        }
    }

    [Fact]
    public void OutputSizesFollowPyTorch()
    {
        // PyTorch: ⌊(H + top + bottom − dilation·(k − 1) − 1)/stride⌋ + 1; 'same' keeps H × W, the odd zero at the bottom/right.
        Assert.Equal(new Shape(1, 2, 28, 28), Tensor.Zeros([1, 1, 28, 28]).Conv2d(Tensor.Zeros([2, 1, 5, 5]), padding: 2).Shape);
        Assert.Equal(new Shape(1, 2, 24, 24), Tensor.Zeros([1, 1, 28, 28]).Conv2d(Tensor.Zeros([2, 1, 5, 5])).Shape);
        Assert.Equal(new Shape(1, 2, 14, 13), Tensor.Zeros([1, 1, 28, 26]).Conv2d(Tensor.Zeros([2, 1, 3, 3]), stride: 2, padding: 1).Shape);
        Assert.Equal(new Shape(1, 2, 7, 9), Tensor.Zeros([1, 1, 7, 9]).Conv2d(Tensor.Zeros([2, 1, 4, 2]), padding: "same", dilation: 3).Shape);
        Assert.Equal(new Shape(2, 5, 5), Tensor.Zeros([1, 5, 5]).Conv2d(Tensor.Zeros([2, 1, 3, 3]), padding: "same").Shape);
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;
        Assert.Equal("conv2d: weight of shape [4,2,3,3] with groups=1 expects 2 input channels, but the input of shape [1,3,5,5] has 3",
            Message(() => Tensor.Zeros([1, 3, 5, 5]).Conv2d(Tensor.Zeros([4, 2, 3, 3]))));
        Assert.Equal("conv2d: 3 input and 4 output channels must both be divisible by groups=2",
            Message(() => Tensor.Zeros([1, 3, 5, 5]).Conv2d(Tensor.Zeros([4, 2, 3, 3]), groups: 2)));
        Assert.Equal("conv2d: input of shape [1,1,3,3] padded to 3×3 is smaller than the (dilated) kernel 5×5",
            Message(() => Tensor.Zeros([1, 1, 3, 3]).Conv2d(Tensor.Zeros([1, 1, 5, 5]))));
        Assert.Equal("conv2d: padding 'same' is not supported for strided convolutions (stride (2, 2))",
            Message(() => Tensor.Zeros([1, 1, 5, 5]).Conv2d(Tensor.Zeros([1, 1, 3, 3]), stride: 2, padding: "same")));
        Assert.Equal("conv2d: bias of shape [3] does not fit weight of shape [2,1,3,3] (expected [2])",
            Message(() => Tensor.Zeros([1, 1, 5, 5]).Conv2d(Tensor.Zeros([2, 1, 3, 3]), Tensor.Zeros([3]))));
        Assert.Equal("conv2d: expects input [N,C,H,W] or [C,H,W], got shape [5,5]", Message(() => Tensor.Zeros([5, 5]).Conv2d(Tensor.Zeros([2, 1, 3, 3]))));
        Assert.Equal("conv2d: stride must be at least 1, got (0, 1)", Message(() => Tensor.Zeros([1, 1, 5, 5]).Conv2d(Tensor.Zeros([1, 1, 3, 3]), stride: (0, 1))));
        Assert.Equal("padding: 'full' is not 'same' or 'valid'", Message(() => Tensor.Zeros([1, 1, 5, 5]).Conv2d(Tensor.Zeros([1, 1, 3, 3]), padding: "full")));
        Assert.Equal("padding: sizes must not be negative, got (-1, -1)", Message(() => Tensor.Zeros([1, 1, 5, 5]).Conv2d(Tensor.Zeros([1, 1, 3, 3]), padding: -1)));
    }
}

using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>
/// The initialisers draw from the distributions PyTorch's formulas give, checked on large samples: the sample mean and
/// standard deviation against the theory, the extremes against the bounds (uniform) or the tails (normal), and the seed.
/// </summary>
public class InitTests
{
    // A weight [out, in] with different fans, so a formula that swaps fan_in and fan_out, or ignores one, gives another spread.
    private const int FanOut = 256, FanIn = 512;

    /// <summary>The distribution an initialiser must draw from: uniform in ±bound, or normal with the standard deviation std.</summary>
    private sealed record Expected(bool Uniform, double Scale);

    private static (Action<Tensor, Generator> Init, Expected Expected) Case(string name) => name switch
    {
        "xavier_uniform" => ((w, g) => Init.XavierUniform(w, generator: g), new(true, Math.Sqrt(6.0 / (FanIn + FanOut)))),
        "xavier_uniform_gain_2" => ((w, g) => Init.XavierUniform(w, gain: 2, generator: g), new(true, 2 * Math.Sqrt(6.0 / (FanIn + FanOut)))),
        "kaiming_uniform" => ((w, g) => Init.KaimingUniform(w, g), new(true, Math.Sqrt(6.0 / FanIn))),
        "xavier_normal" => ((w, g) => Init.XavierNormal(w, generator: g), new(false, Math.Sqrt(2.0 / (FanIn + FanOut)))),
        "xavier_normal_gain_2" => ((w, g) => Init.XavierNormal(w, gain: 2, generator: g), new(false, 2 * Math.Sqrt(2.0 / (FanIn + FanOut)))),
        "kaiming_normal" => ((w, g) => Init.KaimingNormal(w, g), new(false, Math.Sqrt(2.0 / FanIn))),
        "normal_0.02" => ((w, g) => Init.Normal(w, 0, 0.02, g), new(false, 0.02)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("xavier_uniform")]
    [InlineData("xavier_uniform_gain_2")]
    [InlineData("kaiming_uniform")]
    [InlineData("xavier_normal")]
    [InlineData("xavier_normal_gain_2")]
    [InlineData("kaiming_normal")]
    [InlineData("normal_0.02")]
    public void DrawsFromThePyTorchDistribution(string name)
    {
        var (init, expected) = Case(name);
        var weight = Tensor.Zeros([FanOut, FanIn]);
        init(weight, new Generator(1));
        var values = weight.ToDoubleArray();
        if (expected.Uniform) AssertUniform(values, expected.Scale);
        else AssertNormal(values, expected.Scale);

        var again = Tensor.Zeros([FanOut, FanIn]);
        init(again, new Generator(1));
        Assert.Equal(values, again.ToDoubleArray());
        init(again, new Generator(2));
        Assert.NotEqual(values, again.ToDoubleArray());
    }

    [Fact]
    public void LinearStartsUniformInPlusMinusOneOverSquareRootOfItsInputs()
    {
        // 64 inputs: bound 1/8; 2048 outputs give 131,072 weights and 2,048 biases to measure.
        var layer = new Linear(64, 2048, generator: new Generator(4));
        AssertUniform(layer.Weight.ToDoubleArray(), 1 / Math.Sqrt(64));
        AssertUniform(layer.Bias!.ToDoubleArray(), 1 / Math.Sqrt(64));
        Assert.NotEqual(layer.Weight.ToDoubleArray(), new Linear(64, 2048, generator: new Generator(5)).Weight.ToDoubleArray());
    }

    [Fact]
    public void NormalShiftsByItsMeanAndZerosClearsAnyTensor()
    {
        var bias = Tensor.Zeros([4096]);
        Init.Normal(bias, mean: 3, std: 0.5, generator: new Generator(6));
        var values = bias.ToDoubleArray();
        Assert.InRange(values.Average(), 3 - 4 * 0.5 / 64, 3 + 4 * 0.5 / 64); // within 4 standard errors 0.5/√4096
        Init.Zeros(bias);
        Assert.All(bias.ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.Equal("init: normal needs a standard deviation of at least 0, got -1",
            Assert.Throws<ArgumentException>(() => Init.Normal(bias, std: -1)).Message);
    }

    [Fact]
    public void RefusesAWeightOfFewerThanTwoDimensions() =>
        Assert.Equal("init: fan_in and fan_out need a weight of at least 2 dimensions [out,in,...], got [3]",
            Assert.Throws<ArgumentException>(() => Init.XavierUniform(Tensor.Zeros([3]))).Message);

    [Fact]
    public void FansOfAnyRankAreThoseOfPyTorch()
    {
        // torch.nn.init._calculate_fan_in_and_fan_out: [16, 6, 5, 5] gives (150, 400); [8, 3, 2, 3, 4] gives (72, 192).
        Assert.Equal((4, 3), Init.Fans([3, 4]));
        Assert.Equal((150, 400), Init.Fans([16, 6, 5, 5]));
        Assert.Equal((72, 192), Init.Fans([8, 3, 2, 3, 4]));
        Assert.Equal((6, 10), Init.Fans([10, 6, 1]));
    }

    [Theory]
    [InlineData("kaiming_uniform")]
    [InlineData("xavier_normal")]
    public void ConvolutionKernelsUseTheirReceptiveField(string name)
    {
        // A kernel [64, 32, 4, 4]: fan_in = 32·16 = 512, fan_out = 64·16 = 1024, the receptive field of 4×4 included.
        var (init, _) = Case(name);
        var weight = Tensor.Zeros([64, 32, 4, 4]);
        init(weight, new Generator(3));
        var values = weight.ToDoubleArray();
        if (name == "kaiming_uniform") AssertUniform(values, Math.Sqrt(6.0 / 512));
        else AssertNormal(values, Math.Sqrt(2.0 / (512 + 1024)));
    }

    /// <summary>
    /// Uniform in [−b, b]: mean 0, standard deviation b/√3. Tolerances are 5 standard errors of each estimate for n values
    /// (a correct initialiser misses one with probability below 1e-6): the mean's is σ/√n; the standard deviation's is
    /// √((μ₄ − σ⁴)/n)/(2σ) with μ₄ = b⁴/5 and σ⁴ = b⁴/9, which is 0.447·σ/√n. The largest of n draws falls below b(1 − ε) with
    /// probability (1 − ε/2)ⁿ, so with ε = 40/n (e⁻²⁰, about 2e-9) the extremes reach within 40/n of ±b.
    /// </summary>
    private static void AssertUniform(double[] values, double bound)
    {
        int n = values.Length;
        double sigma = bound / Math.Sqrt(3);
        var (mean, std) = MeanAndStd(values);
        Assert.InRange(mean, -5 * sigma / Math.Sqrt(n), 5 * sigma / Math.Sqrt(n));
        Assert.InRange(std, sigma * (1 - 5 * 0.447 / Math.Sqrt(n)), sigma * (1 + 5 * 0.447 / Math.Sqrt(n)));
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        double epsilon = 40.0 / n;
        Assert.True(values.Max() > bound * (1 - epsilon), $"largest value {values.Max()} does not reach the bound {bound}");
        Assert.True(values.Min() < -bound * (1 - epsilon), $"smallest value {values.Min()} does not reach the bound {-bound}");
    }

    /// <summary>
    /// Normal(0, σ²): tolerances of 5 standard errors, σ/√n for the mean and σ/√(2n) for the standard deviation. The tails
    /// tell a normal from a uniform of the same spread (which never passes √3·σ): of n = 131,072 draws, some pass 3σ (all
    /// staying inside has probability 0.99865ⁿ, about e⁻¹⁷⁷), and none passes 7σ (expected count n·2.6e-12, about 3e-7).
    /// </summary>
    private static void AssertNormal(double[] values, double sigma)
    {
        int n = values.Length;
        var (mean, std) = MeanAndStd(values);
        Assert.InRange(mean, -5 * sigma / Math.Sqrt(n), 5 * sigma / Math.Sqrt(n));
        Assert.InRange(std, sigma * (1 - 5 / Math.Sqrt(2.0 * n)), sigma * (1 + 5 / Math.Sqrt(2.0 * n)));
        double largest = values.Max(Math.Abs);
        Assert.InRange(largest, 3 * sigma, 7 * sigma);
    }

    private static (double Mean, double Std) MeanAndStd(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)));
    }
}

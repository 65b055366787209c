using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// Weight initialisers, in place, with PyTorch's formulas (<c>torch.nn.init</c>) for a weight of any rank ≥ 2,
/// [out, in, k₁, k₂, …]: fan_in = in·k₁·k₂·…, fan_out = out·k₁·k₂·… (PyTorch's <c>_calculate_fan_in_and_fan_out</c>; a
/// Linear weight [out, in] has fan_in = in, a Conv2d weight [out, in/groups, kH, kW] fan_in = in/groups·kH·kW).
/// Xavier/Glorot keeps the variance of activations and gradients alike across layers with tanh or sigmoid; He/Kaiming
/// does so for ReLU.
/// </summary>
public static class Init
{
    /// <summary>Uniform in ±gain·√(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Fill(weight, Tensor.Uniform(weight.Shape, -bound, bound, generator, weight.DType));
    }

    /// <summary>Normal with standard deviation gain·√(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor weight, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(weight);
        Fill(weight, Tensor.Randn(weight.Shape, generator, weight.DType) * (gain * Math.Sqrt(2.0 / (fanIn + fanOut))));
    }

    /// <summary>Uniform in ±√2·√(3 / fan_in): He initialisation for ReLU (PyTorch's default nonlinearity for Kaiming).</summary>
    public static void KaimingUniform(Tensor weight, Generator? generator = null)
    {
        double bound = Math.Sqrt(2) * Math.Sqrt(3.0 / Fans(weight).FanIn);
        Fill(weight, Tensor.Uniform(weight.Shape, -bound, bound, generator, weight.DType));
    }

    /// <summary>Normal with standard deviation √2 / √fan_in.</summary>
    public static void KaimingNormal(Tensor weight, Generator? generator = null) =>
        Fill(weight, Tensor.Randn(weight.Shape, generator, weight.DType) * (Math.Sqrt(2) / Math.Sqrt(Fans(weight).FanIn)));

    /// <summary>Normal with mean <paramref name="mean"/> and standard deviation <paramref name="std"/>, as PyTorch's <c>normal_</c>.</summary>
    public static void Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0)) throw new ArgumentException($"init: normal needs a standard deviation of at least 0, got {std}");
        Fill(tensor, Tensor.Randn(tensor.Shape, generator, tensor.DType) * std + mean);
    }

    /// <summary>Zeros, as PyTorch's <c>zeros_</c>.</summary>
    public static void Zeros(Tensor tensor) => Fill(tensor, Tensor.Zeros(tensor.Shape, tensor.DType));

    /// <summary>
    /// fan_in and fan_out of a weight of <paramref name="shape"/> [out, in, …], as PyTorch computes them: the receptive
    /// field (the product of the dimensions after the first two) times in, and times out.
    /// </summary>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank < 2) throw new ArgumentException($"init: fan_in and fan_out need a weight of at least 2 dimensions [out,in,...], got {shape}");
        int receptiveField = 1;
        for (int axis = 2; axis < shape.Rank; axis++) receptiveField *= shape[axis];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    private static (int FanIn, int FanOut) Fans(Tensor weight) => Fans(weight.Shape);

    private static void Fill(Tensor weight, Tensor values)
    {
        using var _ = new NoGrad();
        weight.CopyInPlace(values);
    }
}

using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// Weight initialisers, in place, with PyTorch's formulas (<c>torch.nn.init</c>) for a weight [out, in]:
/// fan_in = in, fan_out = out. Xavier/Glorot keeps the variance of activations and gradients alike across layers with
/// tanh or sigmoid; He/Kaiming does so for ReLU.
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

    private static (int FanIn, int FanOut) Fans(Tensor weight)
    {
        if (weight.Rank != 2) throw new ArgumentException($"init: expects a weight of shape [out,in], got {weight.Shape}");
        return (weight.Shape[1], weight.Shape[0]);
    }

    private static void Fill(Tensor weight, Tensor values)
    {
        using var _ = new NoGrad();
        weight.CopyInPlace(values);
    }
}

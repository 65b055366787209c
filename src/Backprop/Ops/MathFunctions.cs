using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Element-wise mathematical functions (exp, log, sqrt, abs, clamp), each with its derivative.</summary>
public static class MathFunctions
{
    /// <summary>eˣ. d/dx = eˣ (the output itself).</summary>
    public static Tensor Exp(this Tensor x)
    {
        var y = KernelRunner.Map(x, new MathKernels.Exp());
        return Graph.Record("exp", y, [x], y, static (y, g) => [g * y]);
    }

    /// <summary>The natural logarithm. d/dx = 1/x.</summary>
    public static Tensor Log(this Tensor x) =>
        Graph.Record("log", KernelRunner.Map(x, new MathKernels.Log()), [x], x, static (x, g) => [g / x]);

    /// <summary>√x. d/dx = 1/(2√x).</summary>
    public static Tensor Sqrt(this Tensor x)
    {
        var y = KernelRunner.Map(x, new MathKernels.Sqrt());
        return Graph.Record("sqrt", y, [x], y, static (y, g) => [g / (y * 2)]);
    }

    /// <summary>|x|. d/dx = sign(x), taken as 0 at 0 (as PyTorch).</summary>
    public static Tensor Abs(this Tensor x) =>
        Graph.Record("abs", KernelRunner.Map(x, new MathKernels.Abs()), [x], x, static (x, g) => [g * KernelRunner.Map(x, new MathKernels.Sign())]);

    /// <summary>
    /// x limited to [<paramref name="min"/>, <paramref name="max"/>]. d/dx = 1 inside the range (boundaries included, as PyTorch), 0 outside.
    /// </summary>
    public static Tensor Clamp(this Tensor x, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
        {
            throw new ArgumentException($"clamp: min {min} must not exceed max {max}");
        }
        return Graph.Record("clamp", KernelRunner.Map(x, new MathKernels.Clamp(min, max)), [x],
            (x, min, max), static (s, g) => [g * KernelRunner.Map(s.x, new MathKernels.InRange(s.min, s.max))]);
    }
}

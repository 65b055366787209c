using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// Element-wise arithmetic with NumPy broadcasting. Each op's backward gives the local derivative times the
/// upstream gradient g; the engine sums it back over broadcast axes.
/// </summary>
public static class Arithmetic
{
    /// <summary>a + b. d/da = 1, d/db = 1.</summary>
    public static Tensor Add(this Tensor a, Tensor b)
    {
        (a, b) = TypePromotion.Promote(a, b);
        return Graph.Record("add", KernelRunner.Zip(a, b, new ArithmeticKernels.Add(), "add"), [a, b], static g => [g, g]);
    }

    /// <summary>a − b. d/da = 1, d/db = −1.</summary>
    public static Tensor Sub(this Tensor a, Tensor b)
    {
        (a, b) = TypePromotion.Promote(a, b);
        return Graph.Record("sub", KernelRunner.Zip(a, b, new ArithmeticKernels.Subtract(), "sub"), [a, b], static g => [g, -g]);
    }

    /// <summary>a · b. d/da = b, d/db = a.</summary>
    public static Tensor Mul(this Tensor a, Tensor b)
    {
        (a, b) = TypePromotion.Promote(a, b);
        return Graph.Record("mul", KernelRunner.Zip(a, b, new ArithmeticKernels.Multiply(), "mul"), [a, b], (a, b), static (s, g) => [g * s.b, g * s.a]);
    }

    /// <summary>a / b. d/da = 1/b, d/db = −a/b².</summary>
    public static Tensor Div(this Tensor a, Tensor b)
    {
        (a, b) = TypePromotion.Promote(a, b);
        return Graph.Record("div", KernelRunner.Zip(a, b, new ArithmeticKernels.Divide(), "div"), [a, b], (a, b), static (s, g) => [g / s.b, -g * s.a / (s.b * s.b)]);
    }

    /// <summary>−x. d/dx = −1.</summary>
    public static Tensor Neg(this Tensor x) =>
        Graph.Record("neg", KernelRunner.Map(x, new MathKernels.Negate()), [x], static g => [-g]);

    /// <summary>
    /// aᵇ. d/da = b·a^(b−1), d/db = aᵇ·ln a (computed only when b requires grad; it is NaN for a &lt; 0, as in PyTorch).
    /// </summary>
    public static Tensor Pow(this Tensor a, Tensor b)
    {
        (a, b) = TypePromotion.Promote(a, b);
        var y = KernelRunner.Zip(a, b, new ArithmeticKernels.Power(), "pow");
        return Graph.Record("pow", y, [a, b], (a, b, y), static (s, g) => [
            g * s.b * s.a.Pow(s.b - 1),
            s.b.RequiresGrad ? g * s.y * s.a.Log() : null,
        ]);
    }

    /// <summary>x raised to a constant power: x^p, d/dx = p·x^(p−1).</summary>
    public static Tensor Pow(this Tensor x, double exponent) => x.Pow(Tensor.Scalar(exponent, x.DType));
}

using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Activation functions: the last step of a neuron, a = f(z). Each gives its derivative f′(z).</summary>
public static class Activations
{
    /// <summary>f(z) = z, f′(z) = 1: the article's worked example uses no activation at all.</summary>
    public static Tensor Identity(this Tensor z) => z;

    /// <summary>
    /// The binary step: 1 for z ≥ 0, 0 for z &lt; 0. Its derivative is 0 everywhere except at 0, where it does not exist;
    /// backward passes 0, so no gradient flows through a step (why perceptrons with it cannot learn by backpropagation).
    /// </summary>
    public static Tensor BinaryStep(this Tensor z) =>
        Graph.Record("binary_step", KernelRunner.Map(z, new ActivationKernels.Heaviside(1)), [z], z, static (z, g) => [Tensor.Zeros(z.Shape, z.DType)]);

    /// <summary>σ(z) = 1 / (1 + e^(−z)), σ′(z) = σ(z)·(1 − σ(z)).</summary>
    public static Tensor Sigmoid(this Tensor z)
    {
        var y = KernelRunner.Map(z, new ActivationKernels.Sigmoid());
        return Graph.Record("sigmoid", y, [z], y, static (y, g) => [KernelRunner.Zip(g, y, new ActivationKernels.SigmoidBackward(), "sigmoid")]);
    }

    /// <summary>tanh(z), tanh′(z) = 1 − tanh²(z).</summary>
    public static Tensor Tanh(this Tensor z)
    {
        var y = KernelRunner.Map(z, new ActivationKernels.Tanh());
        return Graph.Record("tanh", y, [z], y, static (y, g) => [KernelRunner.Zip(g, y, new ActivationKernels.TanhBackward(), "tanh")]);
    }

    /// <summary>ReLU: max(z, 0). Its derivative is 1 for z &gt; 0 and 0 otherwise (0 at z = 0, as PyTorch).</summary>
    public static Tensor Relu(this Tensor z) =>
        Graph.Record("relu", KernelRunner.Map(z, new ActivationKernels.Relu()), [z],
            z, static (z, g) => [KernelRunner.Zip(g, z, new ActivationKernels.ReluBackward(), "relu")]);

    /// <summary>Leaky ReLU: z for z &gt; 0, slope·z otherwise; derivative 1 or slope. PyTorch's default slope is 0.01.</summary>
    public static Tensor LeakyRelu(this Tensor z, double negativeSlope = 0.01) =>
        Graph.Record("leaky_relu", KernelRunner.Map(z, new ActivationKernels.LeakyRelu(negativeSlope)), [z],
            (z, negativeSlope), static (s, g) => [g * KernelRunner.Map(s.z, new ActivationKernels.LeakyReluDerivative(s.negativeSlope))]);

    /// <summary>ELU: z for z &gt; 0, α(eᶻ − 1) otherwise; derivative 1 or α·eᶻ.</summary>
    public static Tensor Elu(this Tensor z, double alpha = 1.0) =>
        Graph.Record("elu", KernelRunner.Map(z, new ActivationKernels.Elu(alpha)), [z],
            (z, alpha), static (s, g) => [g * KernelRunner.Map(s.z, new ActivationKernels.EluDerivative(s.alpha))]);

    /// <summary>GELU, exact: z·Φ(z) with Φ the standard normal distribution function; derivative Φ(z) + z·φ(z).</summary>
    public static Tensor Gelu(this Tensor z) =>
        Graph.Record("gelu", KernelRunner.Map(z, new ActivationKernels.Gelu()), [z],
            z, static (z, g) => [g * KernelRunner.Map(z, new ActivationKernels.GeluDerivative())]);

    /// <summary>
    /// GELU, tanh form (PyTorch's <c>approximate='tanh'</c>, as GPT-2 uses): z·(1 + tanh u)/2 with
    /// u = √(2/π)·(z + 0.044715·z³); derivative (1 + tanh u)/2 + z·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·z²)/2.
    /// </summary>
    public static Tensor GeluTanh(this Tensor z) =>
        Graph.Record("gelu_tanh", KernelRunner.Map(z, new ActivationKernels.GeluTanh()), [z],
            z, static (z, g) => [g * KernelRunner.Map(z, new ActivationKernels.GeluTanhDerivative())]);

    /// <summary>SiLU (swish): z·σ(z), a product of two recorded ops, so its derivative comes from theirs.</summary>
    public static Tensor Silu(this Tensor z) => z * z.Sigmoid();

    /// <summary>softplus(z) = ln(1 + eᶻ) (z itself above 20, as PyTorch); derivative σ(z).</summary>
    public static Tensor Softplus(this Tensor z) =>
        Graph.Record("softplus", KernelRunner.Map(z, new ActivationKernels.Softplus()), [z],
            z, static (z, g) => [g * KernelRunner.Map(z, new ActivationKernels.SoftplusDerivative())]);
}

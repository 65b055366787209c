namespace Backprop.NN;

/// <summary>
/// The article's perceptron: one neuron with n inputs. Forward propagation in its three steps:
/// multiply each input by its weight and sum, add the bias (z = Σ wᵢxᵢ + b), apply the activation (a = f(z)).
/// </summary>
public sealed class Perceptron : Module
{
    /// <summary>
    /// A neuron with <paramref name="inputs"/> weights and, unless <paramref name="bias"/> is false, a bias; both start
    /// uniform in ±1/√inputs, as PyTorch initialises a linear layer.
    /// </summary>
    public Perceptron(int inputs, Activation activation, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inputs < 1) throw new ArgumentException($"perceptron: needs at least one input, got {inputs}");
        Activation = activation;
        double bound = 1 / Math.Sqrt(inputs);
        Weight = RegisterParameter("weight", Tensor.Uniform(new Shape(inputs), -bound, bound, generator, dtype));
        Bias = bias ? RegisterParameter("bias", Tensor.Uniform(Shape.Scalar, -bound, bound, generator, dtype)) : null;
    }

    /// <summary>The weights w₁…wₙ, shape [inputs].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias b (a scalar), or null for a neuron without one.</summary>
    public Tensor? Bias { get; }

    /// <summary>The activation f.</summary>
    public Activation Activation { get; }

    /// <summary>a = f(Σ wᵢxᵢ + b) for one input [inputs] (a scalar out) or a batch [batch, inputs] (a vector out).</summary>
    public override Tensor Forward(Tensor input)
    {
        var z = input.MatMul(Weight);
        if (Bias is not null) z += Bias;
        return Activation.Apply(z);
    }
}

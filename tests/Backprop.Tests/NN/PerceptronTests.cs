using Backprop.NN;

namespace Backprop.Tests.NN;

public class PerceptronTests
{
    [Fact]
    public void ForwardIsWeightedSumPlusBiasThroughTheActivation()
    {
        var neuron = new Perceptron(3, Activation.Sigmoid, dtype: DType.Float64);
        neuron.Weight[0] = 0.5; neuron.Weight[1] = -1; neuron.Weight[2] = 2;
        neuron.Bias![[]] = 0.25;
        double z = 0.5 * 1 + -1 * 2 + 2 * 3 + 0.25;

        var a = neuron.Forward(Tensor.FromArray([1.0, 2, 3]));

        Assert.Equal(0, a.Rank);
        Assert.Equal(1 / (1 + Math.Exp(-z)), a.Item(), 12);
    }

    [Fact]
    public void BatchedInputGivesOneOutputPerRow()
    {
        var neuron = new Perceptron(2, Activation.Identity, bias: false, dtype: DType.Float64);
        neuron.Weight[0] = 2; neuron.Weight[1] = 3;
        var a = neuron.Forward(Tensor.FromArray(new double[,] { { 1, 1 }, { 0, 2 } }));
        Assert.Equal([5, 6], a.ToDoubleArray());
    }

    [Fact]
    public void ParametersAreRegisteredAndInitialisedInRange()
    {
        var neuron = new Perceptron(4, Activation.ReLU, generator: new Generator(1));
        Assert.Equal(["weight", "bias"], neuron.NamedParameters().Select(p => p.Key));
        Assert.All(neuron.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(neuron.Weight.ToDoubleArray(), w => Assert.InRange(w, -0.5, 0.5)); // ±1/√4
        Assert.Single(new Perceptron(2, Activation.Tanh, bias: false).Parameters());
    }

    [Fact]
    public void GradientsReachWeightsAndBias()
    {
        var neuron = new Perceptron(2, Activation.Identity, dtype: DType.Float64);
        neuron.Forward(Tensor.FromArray([3.0, -2])).Backward();
        Assert.Equal([3, -2], neuron.Weight.Grad!.ToDoubleArray()); // dz/dwᵢ = xᵢ
        Assert.Equal(1, neuron.Bias!.Grad!.Item());                 // dz/db = 1
    }

    [Fact]
    public void NoInputsIsRefused() =>
        Assert.Equal("perceptron: needs at least one input, got 0",
            Assert.Throws<ArgumentException>(() => new Perceptron(0, Activation.Identity)).Message);
}

using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Explain;

/// <summary>
/// The article's worked example run through the real engine: a perceptron with one weight, no bias and no activation
/// (a = i·w), the MSE cost C = (a − y)², and plain gradient descent w₁ = w₀ − r·dC/dw. Computed in float64, so the
/// printed numbers are the article's: with i = 1.5, y = 0.5, w₀ = 0.8, r = 0.1, dC/dw = 2.1 and w₁ = 0.59.
/// </summary>
public sealed class ArticleExample(double weight = 0.8, double input = 1.5, double target = 0.5, double learningRate = 0.1)
{
    /// <summary>w₀, the starting weight.</summary>
    public double InitialWeight { get; } = weight;

    /// <summary>i, the input.</summary>
    public double Input { get; } = input;

    /// <summary>y, the desired output.</summary>
    public double Target { get; } = target;

    /// <summary>r, the learning rate.</summary>
    public double LearningRate { get; } = learningRate;

    /// <summary>The weight at which C = 0: a = i·w equals y when w = y / i (undefined when i = 0).</summary>
    public double MinimumWeight => Target / Input;

    /// <summary>
    /// Gradient-descent steps, endlessly; the caller decides when to stop. Each step runs a forward pass, then two backward
    /// passes through the same graph: from a (giving da/dw) and from C (giving dC/da and dC/dw), then the optimizer step.
    /// </summary>
    public IEnumerable<ArticleStep> Steps()
    {
        var neuron = new Perceptron(1, Activation.Identity, bias: false, dtype: DType.Float64);
        neuron.Weight[0] = InitialWeight;
        var optimizer = new Sgd(neuron.Parameters(), LearningRate);
        var input = Tensor.FromArray([Input]);
        var target = Tensor.Scalar(Target, DType.Float64);

        for (int step = 0; ; step++)
        {
            double w = neuron.Weight[0];
            var output = neuron.Forward(input);
            var cost = Loss.Mse(output, target);

            output.Backward(retainGraph: true);
            double outputByWeight = neuron.Weight.Grad!.Item();
            optimizer.ZeroGrad();

            output.RetainGrad();
            cost.Backward();
            double costByOutput = output.Grad!.Item();
            double costByWeight = neuron.Weight.Grad!.Item();
            optimizer.Step();
            optimizer.ZeroGrad();

            yield return new ArticleStep(step, w, output.Item(), cost.Item(), costByOutput, outputByWeight, costByWeight, neuron.Weight[0]);
        }
    }
}

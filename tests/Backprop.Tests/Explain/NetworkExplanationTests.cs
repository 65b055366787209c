using System.Globalization;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Explain;
using Backprop.Training;

namespace Backprop.Tests.Explain;

public class NetworkExplanationTests
{
    private static (Sequential Model, Tensor Input, Tensor Target) SmallNetwork(ModelDescription spec)
    {
        var model = (Sequential)spec.Build(new Generator(7));
        return (model, Tensor.FromArray([0.05f, 0.1f], [1, 2]), Tensor.FromArray([0.01f]));
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("bce")]
    public void EveryWeightAndBiasTermIsTheEnginesGradient(string lossName)
    {
        var loss = LossModule.Parse(lossName);
        var spec = ModelDescription.Mlp([2, 2, 1], Activation.Sigmoid, loss);
        var (model, input, target) = SmallNetwork(spec);
        var explanation = NetworkExplanation.Run(model, input, target, loss);
        var expected = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad!.ToDoubleArray());

        // The same pass again without any explanation, for gradients made independently of the narration.
        var (fresh, _, _) = SmallNetwork(spec);
        var cost = spec.Loss.Forward(fresh.Forward(input), target.Reshape(1, 1));
        cost.Backward();
        foreach (var (name, parameter) in fresh.NamedParameters()) Assert.Equal(parameter.Grad!.ToDoubleArray(), expected[name]);
        Assert.Equal(cost.Item(), explanation.Cost, 6);

        var terms = explanation.Backward.SelectMany(s => s.Terms).ToList();
        Assert.Equal(4 + 2 + 2 + 1 + 2 + 2, terms.Count); // W0, b0, W2, b2, dC/da1, dC/dz0
        foreach (var term in terms) Assert.Equal(term.Value, term.ChainRuleValue, 6);
        // Each parameter's gradient under its own name, element by element ([j,k] of W is row j, column k), each name once.
        var byName = terms.ToDictionary(t => t.Gradient, t => t.Value);
        double[] Values(params string[] names) => [.. names.Select(n => byName[n])];
        Assert.Equal(expected["0.weight"], Values("dC/dW0[0,0]", "dC/dW0[0,1]", "dC/dW0[1,0]", "dC/dW0[1,1]"));
        Assert.Equal(expected["0.bias"], Values("dC/db0[0]", "dC/db0[1]"));
        Assert.Equal(expected["2.weight"], Values("dC/dW2[0,0]", "dC/dW2[0,1]"));
        Assert.Equal(expected["2.bias"], Values("dC/db2[0]"));
    }

    [Fact]
    public void StepsGoFromTheLossBackToTheFirstLayerNamingEachOp()
    {
        var spec = ModelDescription.Mlp([2, 2, 1], Activation.Sigmoid, new MSELoss());
        var (model, input, target) = SmallNetwork(spec);
        var titles = NetworkExplanation.Run(model, input, target, new MSELoss()).Backward.Select(s => s.Title.Split(':')[0]).ToList();
        Assert.Equal(["loss mse", "linear (layer 2)", "sigmoid (layer 1)", "linear (layer 0)"], titles);
    }

    [Fact]
    public void DescribesATermAsUpstreamTimesLocal()
    {
        var term = new ChainRuleTerm("dC/dW2[0,1]", "dC/dz2[0]", "a1[1]", [(1.5, 0.5)], 0.75);
        Assert.Equal("dC/dW2[0,1] = dC/dz2[0] · a1[1] = 1.5 · 0.5 = 0.75", NetworkExplanation.Describe(term));
        var sum = new ChainRuleTerm("dC/da1[0]", "dC/dz2[j]", "W2[j,0]", [(1, 2), (3, 4)], 14);
        Assert.Equal("dC/da1[0] = Σⱼ dC/dz2[j] · W2[j,0] = 1 · 2 + 3 · 4 = 14", NetworkExplanation.Describe(sum));
    }

    [Fact]
    public void LargeTensorsAreSummarised()
    {
        var spec = ModelDescription.Mlp([20, 4, 3], Activation.ReLU, new CrossEntropyLoss());
        var input = Tensor.Rand([1, 20], new Generator(2));
        var explanation = NetworkExplanation.Run((Sequential)spec.Build(new Generator(1)), input, Tensor.FromArray([2f]), new CrossEntropyLoss());

        // The same pass again without the narration, for the gradients the summary must show: W0's first three values and
        // its norm, in the narration's 4 significant digits.
        var fresh = (Sequential)spec.Build(new Generator(1));
        Loss.CrossEntropy(fresh.Forward(input), Tensor.FromArray([2f])).Backward();
        var first = (Linear)fresh.Layers[0];
        var g = first.Weight.Grad!.ToDoubleArray();
        string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        var step = explanation.Backward[^1];
        Assert.Equal($"dC/dW0 = dC/dz0ᵀ · x (entry [j,k] is dC/dz0[j] · x[k]): shape [4,20], [{F(g[0])}, {F(g[1])}, {F(g[2])}, …] ‖·‖ {F(Math.Sqrt(g.Sum(v => v * v)))}",
            Assert.Single(step.Lines));
        // The 4 biases are still listed, each with its gradient.
        Assert.Equal(["dC/db0[0]", "dC/db0[1]", "dC/db0[2]", "dC/db0[3]"], step.Terms.Select(t => t.Gradient));
        Assert.Equal(first.Bias!.Grad!.ToDoubleArray(), step.Terms.Select(t => t.Value));
    }
}

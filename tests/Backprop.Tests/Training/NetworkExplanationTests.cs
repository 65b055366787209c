using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class NetworkExplanationTests
{
    private static (Sequential Model, Tensor Input, Tensor Target) SmallNetwork(ModelSpec spec)
    {
        var model = spec.Build(new Generator(7));
        return (model, Tensor.FromArray([0.05f, 0.1f], [1, 2]), Tensor.FromArray([0.01f]));
    }

    [Theory]
    [InlineData(LossKind.Mse)]
    [InlineData(LossKind.Bce)]
    public void EveryWeightAndBiasTermIsTheEnginesGradient(LossKind loss)
    {
        var spec = new ModelSpec([2, 2, 1], Activation.Sigmoid, loss);
        var (model, input, target) = SmallNetwork(spec);
        var explanation = NetworkExplanation.Run(model, input, target, loss);
        var expected = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad!.ToDoubleArray());

        // The same pass again without any explanation, for gradients made independently of the narration.
        var (fresh, _, _) = SmallNetwork(spec);
        var cost = spec.CreateLoss().Forward(fresh.Forward(input), target.Reshape(1, 1));
        cost.Backward();
        foreach (var (name, parameter) in fresh.NamedParameters()) Assert.Equal(parameter.Grad!.ToDoubleArray(), expected[name]);
        Assert.Equal(cost.Item(), explanation.Cost, 6);

        var terms = explanation.Backward.SelectMany(s => s.Terms).ToList();
        Assert.Equal(4 + 2 + 2 + 1 + 2 + 2, terms.Count); // W0, b0, W2, b2, dC/da1, dC/dz0
        foreach (var term in terms) Assert.Equal(term.Value, term.ChainRuleValue, 6);
        Assert.Equal(expected["0.weight"], terms.Where(t => t.Gradient.StartsWith("dC/dW0[")).Select(t => t.Value));
        Assert.Equal(expected["0.bias"], terms.Where(t => t.Gradient.StartsWith("dC/db0[")).Select(t => t.Value));
        Assert.Equal(expected["2.weight"], terms.Where(t => t.Gradient.StartsWith("dC/dW2[")).Select(t => t.Value));
        Assert.Equal(expected["2.bias"], terms.Where(t => t.Gradient.StartsWith("dC/db2[")).Select(t => t.Value));
    }

    [Fact]
    public void StepsGoFromTheLossBackToTheFirstLayerNamingEachOp()
    {
        var spec = new ModelSpec([2, 2, 1], Activation.Sigmoid, LossKind.Mse);
        var (model, input, target) = SmallNetwork(spec);
        var titles = NetworkExplanation.Run(model, input, target, LossKind.Mse).Backward.Select(s => s.Title.Split(':')[0]).ToList();
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
        var spec = new ModelSpec([20, 4, 3], Activation.ReLU, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(1));
        var explanation = NetworkExplanation.Run(model, Tensor.Rand([1, 20], new Generator(2)), Tensor.FromArray([2f]), LossKind.CrossEntropy);
        var first = explanation.Backward[^1];
        Assert.Contains(first.Lines, l => l.StartsWith("dC/dW0 = dC/dz0ᵀ · x (entry [j,k] is dC/dz0[j] · x[k]): shape [4,20], [") && l.Contains("‖·‖"));
        Assert.Equal(4, first.Terms.Count); // the 4 biases are still listed
    }
}

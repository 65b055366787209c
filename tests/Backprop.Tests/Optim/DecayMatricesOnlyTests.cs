using Backprop.Optim;

namespace Backprop.Tests.Optim;

/// <summary>
/// Weight decay on matrices only (nanoGPT's parameter groups): one step on loss = Σ c·w, so each gradient is c. AdamW's
/// first step has m̂ = g and v̂ = g², so w ← w·(1 − r·λ) − r·g/(|g| + ε), with λ = 0 for a vector under the rule.
/// </summary>
public class DecayMatricesOnlyTests
{
    private const double Rate = 0.1, Decay = 0.5, Eps = 1e-8;

    private static (double[] Weight, double[] Bias) OneStep(Func<Tensor[], Optimizer> create)
    {
        var weight = Tensor.FromArray([1.0, 2.0]).Reshape(1, 2);
        var bias = Tensor.FromArray([3.0]);
        weight.RequiresGrad = bias.RequiresGrad = true;
        var optimizer = create([weight, bias]);
        ((weight * Tensor.FromArray([2.0, -1.0]).Reshape(1, 2)).Sum() + (bias * 4.0).Sum()).Backward();
        optimizer.Step();
        return (weight.ToDoubleArray(), bias.ToDoubleArray());
    }

    private static double AdamWFirstStep(double w, double g, double decay) => w * (1 - Rate * decay) - Rate * g / (Math.Abs(g) + Eps);

    [Fact]
    public void AdamWDecaysTheMatrixButNotTheBias()
    {
        var (weight, bias) = OneStep(p => new AdamW(p, Rate, eps: Eps, weightDecay: Decay) { DecayMatricesOnly = true });
        Assert.Equal(AdamWFirstStep(1, 2, Decay), weight[0], 14);  // 0.95 − 0.1 = 0.85
        Assert.Equal(AdamWFirstStep(2, -1, Decay), weight[1], 14); // 1.9 + 0.1 = 2.0
        Assert.Equal(AdamWFirstStep(3, 4, 0), bias[0], 14);        // 3 − 0.1 = 2.9
        Assert.Equal(2.9, bias[0], 6);
    }

    [Fact]
    public void ByDefaultEveryParameterIsDecayed()
    {
        var (weight, bias) = OneStep(p => new AdamW(p, Rate, eps: Eps, weightDecay: Decay));
        Assert.Equal(AdamWFirstStep(1, 2, Decay), weight[0], 14);
        Assert.Equal(AdamWFirstStep(3, 4, Decay), bias[0], 14); // 3·0.95 − 0.1 = 2.75
        Assert.Equal(2.75, bias[0], 6);
    }

    [Fact]
    public void CoupledWeightDecayFollowsTheSameRule()
    {
        // SGD: w ← w − r·(g + λ·w) for the matrix, w − r·g for the bias.
        var (weight, bias) = OneStep(p => new Sgd(p, Rate, weightDecay: Decay) { DecayMatricesOnly = true });
        Assert.Equal([1 - Rate * (2 + Decay * 1), 2 - Rate * (-1 + Decay * 2)], weight);
        Assert.Equal([3 - Rate * 4], bias);
    }

    [Fact]
    public void IsRecordedInTheDefaultsOnlyWhenSet()
    {
        Tensor[] p = [Tensor.FromArray([1.0f])];
        Assert.Equal(new Dictionary<string, object> { ["lr"] = 0.1, ["weight_decay"] = 0.5, ["beta1"] = 0.9, ["beta2"] = 0.95, ["eps"] = 1e-8, ["decay_matrices_only"] = true },
            new AdamW(p, 0.1, beta2: 0.95, weightDecay: 0.5) { DecayMatricesOnly = true }.Defaults);
        Assert.False(new Sgd(p, 0.1).Defaults.ContainsKey("decay_matrices_only"));
    }
}

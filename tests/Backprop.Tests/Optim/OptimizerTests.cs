using Backprop.Optim;

namespace Backprop.Tests.Optim;

/// <summary>
/// Three steps of each optimizer on loss = Σ (pᵢ² + cᵢ·pᵢ) with c = [0.5, −1], from p = [1, −2]. The expected numbers come
/// from an independent scalar Python re-implementation of the pseudo-code in PyTorch's torch.optim documentation
/// (SGD, Adam, AdamW, RMSprop), run in double precision: <c>python3 scripts/optimizer-reference.py</c> prints them.
/// PyTorch's own numbers, on a small network, are compared from fixtures elsewhere.
/// </summary>
public class OptimizerTests
{
    private static double[] ThreeSteps(Func<Tensor, Optimizer> create)
    {
        var p = Tensor.FromArray([1.0, -2.0]);
        p.RequiresGrad = true;
        var c = Tensor.FromArray([0.5, -1.0]);
        var optimizer = create(p);
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            (p * p + c * p).Sum().Backward();
            optimizer.Step();
        }
        return p.ToDoubleArray();
    }

    public static TheoryData<string, double, double> Cases() => new()
    {
        { "sgd", 0.39, -0.78 },
        { "momentum", -0.12660000000000005, 0.2532000000000001 },
        { "nesterov", -0.38818121720899995, 0.7763624344179999 },
        { "adam", 0.7011554497242888, -1.700473933862959 },
        { "adam_wd", 0.7011708436641213, -1.700479439113384 },
        { "adamw", 0.6745989829657223, -1.644176218495963 },
        { "rmsprop", 0.7780833262164389, -1.7744680312943564 },
        { "rmsprop_centered_momentum", 0.5460777008917634, -1.5390674553225132 },
    };

    private static Optimizer Create(string name, Tensor p) => name switch
    {
        "sgd" => new Sgd([p], 0.1),
        "momentum" => new Sgd([p], 0.1, momentum: 0.9, dampening: 0.1),
        "nesterov" => new Sgd([p], 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam([p], 0.1),
        "adam_wd" => new Adam([p], 0.1, weightDecay: 0.1),
        "adamw" => new AdamW([p], 0.1, weightDecay: 0.1),
        "rmsprop" => new RMSprop([p], 0.01),
        "rmsprop_centered_momentum" => new RMSprop([p], 0.01, momentum: 0.9, centered: true, weightDecay: 0.1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchsDocumentedAlgorithm(string name, double p0, double p1)
    {
        var p = ThreeSteps(t => Create(name, t));
        Assert.Equal(p0, p[0], 12);
        Assert.Equal(p1, p[1], 12);
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkipped()
    {
        var used = Tensor.FromArray([1.0]);
        var unused = Tensor.FromArray([5.0]);
        used.RequiresGrad = unused.RequiresGrad = true;
        var adam = new Adam([used, unused], 0.1);
        (used * 2).Sum().Backward();
        adam.Step();
        Assert.Equal(5.0, unused[0]);
        Assert.NotEqual(1.0, used[0]);
    }

    [Fact]
    public void BadHyperparametersAreRefused()
    {
        Assert.Equal("sgd: Nesterov momentum needs a momentum above 0 and zero dampening",
            Assert.Throws<ArgumentException>(() => new Sgd([], 0.1, nesterov: true)).Message);
        Assert.Equal("adam: betas must be in [0, 1), got 1 and 0.999", Assert.Throws<ArgumentException>(() => new Adam([], 0.1, beta1: 1)).Message);
        Assert.Equal("adamw: weight decay must be zero or positive, got -1", Assert.Throws<ArgumentException>(() => new AdamW([], 0.1, weightDecay: -1)).Message);
    }

    [Fact]
    public void StepLRDecaysEveryStepSizeEpochs()
    {
        var sgd = new Sgd([], 0.1);
        var schedule = new StepLR(sgd, stepSize: 2, gamma: 0.5);
        var rates = new List<double> { sgd.LearningRate };
        for (int e = 0; e < 5; e++) { schedule.Step(); rates.Add(sgd.LearningRate); }
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025, 0.025], rates);
    }

    [Fact]
    public void CosineAnnealingFollowsTheClosedForm()
    {
        // η_min + (r₀ − η_min)(1 + cos(π·e/T_max))/2 with r₀ = 0.1, η_min = 0.01, T_max = 4 (computed in Python).
        double[] expected = [0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01];
        var sgd = new Sgd([], 0.1);
        var schedule = new CosineAnnealingLR(sgd, tMax: 4, etaMin: 0.01);
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e], sgd.LearningRate, 15);
            schedule.Step();
        }
    }

    [Fact]
    public void DefaultsNameEachHyperparameterAsTorchOptimDoes()
    {
        Tensor[] p = [Tensor.FromArray([1.0f])];
        Assert.Equal(new Dictionary<string, object> { ["lr"] = 0.1, ["weight_decay"] = 0.0, ["momentum"] = 0.9, ["dampening"] = 0.0, ["nesterov"] = true },
            new Sgd(p, 0.1, momentum: 0.9, nesterov: true).Defaults);
        Assert.Equal(new Dictionary<string, object> { ["lr"] = 0.001, ["weight_decay"] = 0.01, ["beta1"] = 0.9, ["beta2"] = 0.999, ["eps"] = 1e-8 },
            new AdamW(p).Defaults);
        Assert.Equal(new Dictionary<string, object> { ["lr"] = 0.01, ["weight_decay"] = 0.0, ["alpha"] = 0.99, ["eps"] = 1e-8, ["momentum"] = 0.5, ["centered"] = true },
            new RMSprop(p, momentum: 0.5, centered: true).Defaults);
    }
}

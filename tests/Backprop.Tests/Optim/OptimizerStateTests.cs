using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Tests.Optim;

/// <summary>An optimizer restored from another's state dict continues exactly as the original would have.</summary>
public class OptimizerStateTests
{
    public static TheoryData<string> Kinds() => ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "rmsprop-centered"];

    private static Optimizer Create(string kind, IEnumerable<Tensor> parameters) => kind switch
    {
        "sgd" => new Sgd(parameters, 0.1),
        "momentum" => new Sgd(parameters, 0.1, momentum: 0.9, weightDecay: 0.01),
        "nesterov" => new Sgd(parameters, 0.1, momentum: 0.9, nesterov: true),
        "adam" => new Adam(parameters, 0.01),
        "adamw" => new AdamW(parameters, 0.01),
        "rmsprop" => new RMSprop(parameters, 0.01, momentum: 0.5),
        _ => new RMSprop(parameters, 0.01, centered: true),
    };

    private static void Step(Linear model, Optimizer optimizer, int seed)
    {
        optimizer.ZeroGrad();
        var x = Tensor.Uniform([5, 3], -1, 1, new Generator((ulong)seed));
        Loss.Mse(model.Forward(x), Tensor.Ones([5, 2])).Backward();
        optimizer.Step();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ARestoredOptimizerContinuesIdentically(string kind)
    {
        var original = new Linear(3, 2, generator: new Generator(1));
        var optimizer = Create(kind, original.Parameters());
        for (int step = 0; step < 3; step++) Step(original, optimizer, step);

        var copy = new Linear(3, 2, generator: new Generator(99));
        copy.LoadStateDict(original.StateDict());
        var restored = Create(kind, copy.Parameters());
        restored.LoadStateDict(optimizer.StateDict());

        for (int step = 3; step < 6; step++)
        {
            Step(original, optimizer, step);
            Step(copy, restored, step);
        }
        Assert.Equal(original.Weight.ToFloatArray(), copy.Weight.ToFloatArray());
        Assert.Equal(original.Bias!.ToFloatArray(), copy.Bias!.ToFloatArray());
    }

    [Fact]
    public void StateKeysFollowPyTorchsNames()
    {
        var model = new Linear(3, 2);
        var adam = new Adam(model.Parameters());
        Step(model, adam, 0);
        Assert.Equal(["lr", "0.exp_avg", "1.exp_avg", "0.exp_avg_sq", "1.exp_avg_sq", "step"], adam.StateDict().Keys);
        Assert.Equal([1.0, 1.0], adam.StateDict()["step"].ToDoubleArray());
    }

    [Fact]
    public void StateOfAnotherOptimizerIsRefused()
    {
        var model = new Linear(3, 2);
        var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        Step(model, sgd, 0);
        Assert.Equal("adam: state '0.momentum_buffer' is not state of this optimizer",
            Assert.Throws<ArgumentException>(() => new Adam(model.Parameters()).LoadStateDict(new Dictionary<string, Tensor>(sgd.StateDict()) { ["step"] = Tensor.Zeros([2], DType.Float64) })).Message);
    }
}

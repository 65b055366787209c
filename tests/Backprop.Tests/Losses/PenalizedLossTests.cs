using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Losses;

/// <summary>A loss plus a weight penalty, the form in which a Trainer trains with L1 or L2.</summary>
public class PenalizedLossTests
{
    [Fact]
    public void ItsValueIsTheLossPlusThePenalty()
    {
        var weights = Tensor.FromArray([0.5, -2.0]);
        var prediction = Tensor.FromArray([1.0, 2.0]);
        var target = Tensor.FromArray([0.0, 0.0]);
        var penalized = new PenalizedLoss(new MSELoss(), [weights], new Penalty(PenaltyKind.L1, 0.1));
        // MSE (1 + 4)/2 = 2.5; L1: 0.1 · (0.5 + 2) = 0.25.
        Assert.Equal(2.75, penalized.Forward(prediction, target).Item(), 12);
    }

    [Fact]
    public void ATrainerStepAddsTheL2DerivativeToTheWeightsGradientsOnly()
    {
        static Linear Step(Penalty? penalty)
        {
            var layer = new Linear(3, 2, generator: new Generator(5));
            var sgd = new Sgd(layer.Parameters(), 0.1);
            var loss = penalty is null ? (LossModule)new MSELoss() : new PenalizedLoss(new MSELoss(), [layer.Weight], penalty);
            new Trainer(layer, loss, sgd).Step(Tensor.FromArray(new float[,] { { 1, -2, 0.5f }, { 0, 1, 3 } }), Tensor.FromArray(new float[,] { { 1, 0 }, { -1, 2 } }));
            return layer;
        }
        var before = new Linear(3, 2, generator: new Generator(5)).Weight.ToFloatArray();
        var plain = Step(null);
        var penalized = Step(new Penalty(PenaltyKind.L2, 0.3));
        var (plainGrad, penalizedGrad) = (plain.Weight.Grad!.ToFloatArray(), penalized.Weight.Grad!.ToFloatArray());
        for (int i = 0; i < before.Length; i++) Assert.Equal(plainGrad[i] + 0.3f * before[i], penalizedGrad[i], 1e-6f); // d(λ·½·w²)/dw = λ·w
        Assert.Equal(plain.Bias!.Grad!.ToFloatArray(), penalized.Bias!.Grad!.ToFloatArray());
    }

    [Fact]
    public void NoWeightsIsAnError() =>
        Assert.Equal("penalized loss: no weights to penalise",
            Assert.Throws<ArgumentException>(() => new PenalizedLoss(new MSELoss(), [], new Penalty(PenaltyKind.L2, 0.1))).Message);
}

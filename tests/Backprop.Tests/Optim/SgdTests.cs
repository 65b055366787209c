using Backprop.Optim;

namespace Backprop.Tests.Optim;

public class SgdTests
{
    [Fact]
    public void StepSubtractsLearningRateTimesGradient()
    {
        var w = Tensor.FromArray([0.8, -1.0]);
        w.RequiresGrad = true;
        var untouched = Tensor.FromArray([5.0]);
        untouched.RequiresGrad = true;
        var sgd = new Sgd([w, untouched], learningRate: 0.1);

        (w * Tensor.FromArray([2.1, 3.0])).Sum().Backward();
        sgd.Step();

        Assert.Equal(0.8 - 0.1 * 2.1, w[0], 15);
        Assert.Equal(-1.0 - 0.1 * 3.0, w[1], 15);
        Assert.Equal(5.0, untouched[0]); // no gradient, no move
        sgd.ZeroGrad();
        Assert.Null(w.Grad);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void LearningRateMustBePositive(double lr) =>
        Assert.StartsWith("sgd: learning rate must be a positive number",
            Assert.Throws<ArgumentException>(() => new Sgd([], lr)).Message);
}

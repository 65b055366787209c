using Backprop.Losses;

namespace Backprop.Tests.Losses;

/// <summary>The weight penalty's value (its derivative is the gradient-check table's and the explanation tests').</summary>
public class PenaltyTests
{
    // Weights 0.5, −2, 0 and 3: Σ|w| = 5.5, Σw² = 0.25 + 4 + 0 + 9 = 13.25.
    private static readonly Tensor[] Weights = [Tensor.FromArray([0.5, -2.0], [1, 2]), Tensor.FromArray([0.0, 3.0])];

    [Fact]
    public void L1IsTheRateTimesTheSumOfMagnitudes() =>
        Assert.Equal(0.1 * 5.5, Loss.WeightPenalty(Weights, new Penalty(PenaltyKind.L1, 0.1)).Item(), 15);

    [Fact]
    public void L2IsTheRateTimesHalfTheSumOfSquares() =>
        Assert.Equal(0.1 * 0.5 * 13.25, Loss.WeightPenalty(Weights, new Penalty(PenaltyKind.L2, 0.1)).Item(), 15);

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void TheRateIsAFiniteNumberFromZero(double rate) =>
        Assert.StartsWith("penalty: the rate must be a finite number ≥ 0", Assert.Throws<ArgumentException>(() => new Penalty(PenaltyKind.L2, rate)).Message);

    [Fact]
    public void NoWeightsIsAnError() =>
        Assert.Equal("weight_penalty: no weights to penalise", Assert.Throws<ArgumentException>(() => Loss.WeightPenalty([], new Penalty(PenaltyKind.L1, 0.1))).Message);
}

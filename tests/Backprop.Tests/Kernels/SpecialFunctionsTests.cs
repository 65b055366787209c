using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class SpecialFunctionsTests
{
    // Reference values of erf from Abramowitz & Stegun, table 7.1, and standard tables to 16 digits.
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(7.0, 1.0)]
    public void ErfMatchesTables(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Erf(x), tolerance: 1e-15);
}

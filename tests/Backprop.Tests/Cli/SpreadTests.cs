using Backprop.Cli.Bench;

namespace Backprop.Tests.Cli;

public class SpreadTests
{
    [Fact]
    public void MedianMinimumAndMaximum()
    {
        var spread = Spread.Of([5.0, 1.0, 3.0, 9.0, 4.0]);
        Assert.Equal(new Spread(4, 1, 9), spread);
        Assert.Equal("4 [1, 9]", spread.ToString());
        Assert.Equal("4.0 [1.0, 9.0]", spread.ToString("F1"));
    }

    [Fact]
    public void NeedsAValue() =>
        Assert.Equal("spread: needs at least one value", Assert.Throws<ArgumentException>(() => Spread.Of([])).Message);
}

namespace Backprop.Tests.Cli;

public class ExplainCommandTests
{
    [Fact]
    public void TheArticlesDerivationWithItsNumbers()
    {
        var (code, output, error) = CliRunner.Run("explain");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("C = (a − y)² = (1.2 − 0.5)² = 0.49", output);
        Assert.Contains("dC/da = 2(a − y) = 1.4", output);
        Assert.Contains("da/dw = i = 1.5", output);
        Assert.Contains("dC/dw = dC/da · da/dw = 2.1", output);
        Assert.Contains("w₁ = w₀ − r·dC/dw = 0.8 − 0.1·2.1 = 0.59", output);
    }

    [Fact]
    public void ASmallNetworkLayerByLayer()
    {
        var (code, output, error) = CliRunner.Run("explain", "--layers", "2,2,1", "--activation", "sigmoid", "--input", "0.05,0.1", "--target", "0.01");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("x = [0.05, 0.1]", output);
        Assert.Contains("dC/dW2[0,1] = dC/dz2[0] · a1[1] = ", output);
        Assert.Contains("dC/dz0[1] = dC/da1[1] · sigmoid'(z0[1]) = ", output);
        Assert.Contains("dC/db0[1] = dC/dz0[1] · 1 = ", output);
    }

    [Theory]
    [InlineData("--input: 2 values given, the network needs 3", "explain", "--layers", "3,2,1", "--input", "1,2")]
    [InlineData("--input: 'x' is not a number", "explain", "--layers", "2,1", "--input", "1,x")]
    [InlineData("--target: 5 is not a class of the 3 outputs (0 to 2)", "explain", "--layers", "2,3", "--loss", "cross-entropy", "--target", "5")]
    public void BadInputIsOneLine(string message, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {message}", error.TrimEnd());
    }
}

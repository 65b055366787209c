using Backprop.Cli;

namespace Backprop.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public void PrintsTheArticlesNumbersAndTheMinimum()
    {
        var (code, output, error) = CliRunner.Run("demo");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.Split('\n');
        var step0 = lines.Single(l => l.TrimStart().StartsWith("0 ")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["0", "0.8", "1.2", "0.49", "1.4", "1.5", "2.1", "0.59"], step0);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("1 ") && l.TrimEnd().EndsWith(" 0.4745"));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("2 ") && l.TrimEnd().EndsWith(" 0.410975"));
        Assert.Contains("Converged after 22 steps", output);
        Assert.Contains("The minimum of C is at w = y/i = 0.333333 (1/3), where a = y = 0.5 and C = 0.", output);
    }

    [Fact]
    public void LearningRateOneShowsTheDivergence()
    {
        var (code, output, _) = CliRunner.Run("demo", "--lr", "1", "--steps", "10");
        Assert.Equal(0, code);
        Assert.Contains("Diverged: C grew from 0.49 to", output);
        Assert.Contains("the learning rate r = 1 is too large", output);
    }

    [Fact]
    public void OtherNumbersCanBeTried()
    {
        var (code, output, _) = CliRunner.Run("demo", "--weight", "2", "--input", "2", "--target", "1", "--lr", "0.05", "--steps", "2");
        Assert.Equal(0, code);
        Assert.Contains("i = 2, y = 1, w₀ = 2, r = 0.05", output);
        Assert.Contains("Stopped after 2 steps (--steps) before converging", output);
    }

    [Theory]
    [InlineData("--steps", "-3", "backprop: --steps must be at least 1, got -3")]
    [InlineData("--steps", "ten", "backprop: --steps must be a whole number, got 'ten'")]
    [InlineData("--lr", "abc", "backprop: --lr must be a finite number, got 'abc'")]
    [InlineData("--lr", "0", "backprop: --lr must be greater than 0, got 0")]
    [InlineData("--weight", "inf", "backprop: --weight must be a finite number, got 'inf'")]
    [InlineData("--input", "0", "backprop: --input must not be 0 (with i = 0 the output a = i·w does not depend on w), got 0")]
    public void BadOptionsPrintOneLineAndExitTwo(string option, string value, string message)
    {
        var (code, output, error) = CliRunner.Run("demo", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message + Environment.NewLine, error);
    }

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("demo", "--bogus");
        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}

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
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        // Each row whole: step, w, a = 1.5·w, C = (a − 0.5)², dC/da = 2(a − 0.5), da/dw = 1.5, dC/dw, next w = w − 0.1·dC/dw.
        // By hand: 0.8 → a 1.2, C 0.49, dC/da 1.4, dC/dw 2.1, next 0.59; 0.59 → 0.885, 0.148225, 0.77, 1.155, 0.4745;
        // 0.4745 → 0.71175, 0.0448380625 (printed to six decimals), 0.4235, 0.63525, 0.410975.
        Assert.Equal(["0", "0.8", "1.2", "0.49", "1.4", "1.5", "2.1", "0.59"], Row(lines, 0));
        Assert.Equal(["1", "0.59", "0.885", "0.148225", "0.77", "1.5", "1.155", "0.4745"], Row(lines, 1));
        Assert.Equal(["2", "0.4745", "0.71175", "0.044838", "0.4235", "1.5", "0.63525", "0.410975"], Row(lines, 2));
        Assert.Contains("Converged after 22 steps (|Δw| < 1e-6): w = 0.333334.", lines);
        Assert.Contains("The minimum of C is at w = y/i = 0.333333 (1/3), where a = y = 0.5 and C = 0.", lines);
    }

    /// <summary>The cells of the table row of <paramref name="step"/>.</summary>
    private static string[] Row(string[] lines, int step) =>
        lines.Single(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && first == $"{step}").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void LearningRateOneShowsTheDivergence()
    {
        var (code, output, _) = CliRunner.Run("demo", "--lr", "1", "--steps", "10");
        Assert.Equal(0, code);
        // With r = 1 each step maps w to w − 2(1.5w − 0.5)·1.5 = −3.5w + 1.5, so w − 1/3 is multiplied by −3.5: the last of
        // the 10 steps (step 9) has C = (1.5·(w₉ − 1/3))² = (1.5·(−3.5)⁹·(0.8 − 1/3))² = 3.04383e+9.
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("Diverged: C grew from 0.49 to 3.04383e+9 in 10 steps.", lines);
        Assert.Contains("Each step overshoots the minimum at w = y/i = 0.333333 (1/3), where a = y = 0.5 and C = 0: the learning rate r = 1 is too large.", lines);
    }

    [Fact]
    public void OtherNumbersCanBeTried()
    {
        var (code, output, _) = CliRunner.Run("demo", "--weight", "2", "--input", "2", "--target", "1", "--lr", "0.05", "--steps", "2");
        Assert.Equal(0, code);
        Assert.Contains("i = 2, y = 1, w₀ = 2, r = 0.05", output);
        // By hand, a = 2w, C = (a − 1)², dC/dw = 2(a − 1)·2: w 2 → a 4, C 9, dC/da 6, dC/dw 12, next 2 − 0.6 = 1.4;
        // w 1.4 → a 2.8, C 3.24, dC/da 3.6, dC/dw 7.2, next 1.4 − 0.36 = 1.04.
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(["0", "2", "4", "9", "6", "2", "12", "1.4"], Row(lines, 0));
        Assert.Equal(["1", "1.4", "2.8", "3.24", "3.6", "2", "7.2", "1.04"], Row(lines, 1));
        Assert.Contains("Stopped after 2 steps (--steps) before converging: w = 1.04, |Δw| = 0.36.", lines);
        Assert.Contains("The minimum of C is at w = y/i = 0.5, where a = y = 1 and C = 0.", lines);
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

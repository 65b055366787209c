using System.Globalization;

namespace Backprop.Tests.Cli;

public class ExplainAttentionCommandTests
{
    /// <summary>
    /// `explain attention` prints the head's forward pass and each gradient of q, k and v. The printed gradients are
    /// compared with the engine's own pass over the same example (scaled_dot_product_attention, is_causal, C = ½ Σ (O − Y)²),
    /// at the 4 significant digits explain prints.
    /// </summary>
    [Fact]
    public void PrintsTheHeadsSoftmaxAndChainRuleWithTheEnginesGradients()
    {
        var (code, output, error) = CliRunner.Run("explain", "attention");
        Assert.Equal((0, ""), (code, error));
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("One causal attention head, as scaled_dot_product_attention(q, k, v, is_causal=True) computes it; every number is the engine's.", lines[0]);
        Assert.Contains("  q = [[0.5, -1], [1, 0.5], [-0.5, 1]]", lines);
        Assert.Contains("  causal mask: S[0,1], S[0,2], S[1,2] become −∞, so that no token attends to the tokens after it", lines);
        Assert.Contains("    P[1] = softmax([0.7071, 0.7071, −∞]) = [0.5, 0.5, 0]", lines); // S[1,0] = S[1,1] = 1/√2
        Assert.Contains("    O[1] = 0.5·[1, 2] + 0.5·[0, -1] + 0·[3, 0] = [0.5, 0.5]", lines);
        Assert.Contains("  softmax, row by row: its Jacobian-vector product", lines);
        Assert.Contains("    dC/dS[1,2] = (dC/dP[1,2] − ⟨dC/dP[1], P[1]⟩) · P[1,2] = 1.5 · 0 = 0", lines); // masked: no gradient

        var q = Tensor.FromArray(new double[,] { { 0.5, -1 }, { 1, 0.5 }, { -0.5, 1 } });
        var k = Tensor.FromArray(new double[,] { { 1, 0 }, { 0.5, 1 }, { -1, 0.5 } });
        var v = Tensor.FromArray(new double[,] { { 1, 2 }, { 0, -1 }, { 3, 0 } });
        var leaves = new[] { ("q", q), ("k", k), ("v", v) };
        foreach (var (_, leaf) in leaves) leaf.RequiresGrad = true;
        var residual = Attention.ScaledDotProductAttention(q, k, v, isCausal: true) - Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        ((residual * residual).Sum() * 0.5).Backward();
        foreach (var (name, leaf) in leaves)
        {
            var grad = leaf.Grad!.ToDoubleArray();
            for (int at = 0; at < grad.Length; at++)
            {
                string line = Assert.Single(lines, l => l.StartsWith($"    dC/d{name}[{at / 2},{at % 2}] = ", StringComparison.Ordinal));
                double printed = double.Parse(line[(line.LastIndexOf(" = ", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(printed - grad[at]) <= 5e-4 * Math.Abs(grad[at]) + 1e-12, $"{line}: the engine's gradient is {grad[at]}");
            }
        }
    }

    [Theory]
    [InlineData("explain: there is nothing called 'softmax' to explain; give attention, or no subject for the article's example", "explain", "softmax")]
    [InlineData("explain attention: narrates its own tiny example; it takes no network (--arch, --layers, --model)", "explain", "attention", "--layers", "2,1")]
    public void BadInputIsOneLine(string message, params string[] args) => CliAssert.OneLineError(CliRunner.Run(args), message);
}

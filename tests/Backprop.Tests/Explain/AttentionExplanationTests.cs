using Backprop.Explain;

namespace Backprop.Tests.Explain;

public class AttentionExplanationTests
{
    private static readonly double[,] Q = { { 0.5, -1 }, { 1, 0.5 }, { -0.5, 1 } };
    private static readonly double[,] K = { { 1, 0 }, { 0.5, 1 }, { -1, 0.5 } };
    private static readonly double[,] V = { { 1, 2 }, { 0, -1 }, { 3, 0 } };
    private static readonly double[,] Y = { { 1, 0 }, { 0, 1 }, { 1, 1 } };

    private static Tensor Leaf(double[,] values)
    {
        var leaf = Tensor.FromArray(values);
        leaf.RequiresGrad = true;
        return leaf;
    }

    private static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    /// <summary>
    /// The narrated example against a pass of its own through Attention.ScaledDotProductAttention (is_causal, default
    /// scale 1/√2) and Backward: its weights, output and every narrated gradient of q, k and v are the engine's.
    /// </summary>
    [Fact]
    public void EveryNarratedValueIsTheFusedOpsOwn()
    {
        var explanation = AttentionExplanation.Example();

        var (q, k, v) = (Leaf(Q), Leaf(K), Leaf(V));
        Tensor output, weights;
        using (var recorder = new AttentionWeightsRecorder())
        {
            output = Attention.ScaledDotProductAttention(q, k, v, isCausal: true);
            weights = recorder.Weights.Single();
        }
        var error = output - Tensor.FromArray(Y);
        ((error * error).Sum() * 0.5).Backward();

        Near(weights.ToDoubleArray(), explanation.Weights.ToDoubleArray());
        Near(output.ToDoubleArray(), explanation.Output.ToDoubleArray());
        Near((output - Tensor.FromArray(Y)).ToDoubleArray(), explanation.Output.Grad!.ToDoubleArray()); // dC/dO = O − Y
        var terms = explanation.Backward.SelectMany(step => step.Terms).ToDictionary(term => term.Gradient, term => term.Value);
        foreach (var (name, leaf) in new[] { ("q", q), ("k", k), ("v", v) })
        {
            double[] narrated = [.. Enumerable.Range(0, 6).Select(at => terms[$"dC/d{name}[{at / 2},{at % 2}]"])];
            Near(leaf.Grad!.ToDoubleArray(), narrated);
        }
    }

    /// <summary>Each chain-rule sum the narration shows adds up to the engine's gradient it names: dC/dv, dC/dP, dC/dS, dC/dq, dC/dk.</summary>
    [Fact]
    public void EveryChainRuleSumIsTheEnginesGradient()
    {
        var terms = AttentionExplanation.Example().Backward.SelectMany(step => step.Terms).ToList();
        Assert.Equal(6 + 9 + 9 + 6 + 6, terms.Count); // dv, dP, dS (three rows), dq, dk
        foreach (var term in terms) Assert.True(Math.Abs(term.Value - term.ChainRuleValue) <= 1e-6, $"{term.Gradient}: engine {term.Value}, chain rule {term.ChainRuleValue}");
    }

    /// <summary>
    /// By hand: S[1,0] = (1·1 + 0.5·0)/√2 and S[1,1] = (1·0.5 + 0.5·1)/√2 are both 1/√2, so P[1] = [½, ½, 0] and
    /// O[1] = ½·[1, 2] + ½·[0, −1] = [0.5, 0.5]; token 0 sees itself alone, P[0] = [1, 0, 0], O[0] = v[0] = [1, 2].
    /// Masked scores and row 0 get no gradient, so neither does q[0].
    /// </summary>
    [Fact]
    public void MaskedScoresAndTheFirstRowGetNoGradient()
    {
        var explanation = AttentionExplanation.Example();
        Assert.Equal(1 / Math.Sqrt(2), explanation.Scale, 12);
        Near([1, 0, 0, 0.5, 0.5, 0], explanation.Weights.ToDoubleArray()[..6]);
        Near([1, 2, 0.5, 0.5], explanation.Output.ToDoubleArray()[..4]);
        Near([Math.Sqrt(0.5), Math.Sqrt(0.5)], explanation.Scores.ToDoubleArray()[3..5]);

        var terms = explanation.Backward.SelectMany(step => step.Terms).ToDictionary(term => term.Gradient, term => term.Value);
        foreach (var name in new[] { "dC/dS[0,0]", "dC/dS[0,1]", "dC/dS[0,2]", "dC/dS[1,2]", "dC/dq[0,0]", "dC/dq[0,1]" }) Assert.Equal(0, terms[name]);
        Assert.NotEqual(0, terms["dC/dP[1,2]"]); // the masked weight has an upstream gradient; the softmax stops it
        Assert.Contains("  P[1] = softmax([0.7071, 0.7071, −∞]) = [0.5, 0.5, 0]", explanation.Forward);
        Assert.Contains("  O[1] = 0.5·[1, 2] + 0.5·[0, -1] + 0·[3, 0] = [0.5, 0.5]", explanation.Forward);
    }

    [Fact]
    public void KeysOfAnotherShapeAreRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionExplanation.Run(Q, new double[,] { { 1, 0 } }, V, Y));
        Assert.Equal("explain attention: the keys are 1×2, the queries 3×2; they must match", error.Message);
    }
}

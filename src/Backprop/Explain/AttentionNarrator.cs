namespace Backprop.Explain;

/// <summary>
/// The lines and chain-rule terms of <see cref="AttentionExplanation"/>, from the engine's values: q, k, v, the target,
/// the scores, the op's weights P and output O with the gradients the engine kept (dC/dO, dC/dP, dC/dS, dC/dq, dC/dk,
/// dC/dv). Each term's value is the engine's gradient; its products are the numbers the chain rule multiplies.
/// </summary>
internal sealed class AttentionNarrator
{
    private readonly int t, d, dv;
    private readonly double scale;
    private readonly double[] q, k, v, y, s, p, o, dO, dP, dS, dq, dk, dV;

    public AttentionNarrator(Tensor query, Tensor key, Tensor value, Tensor target, double scale, Tensor scores, Tensor weights, Tensor output, Tensor weightsGrad, Tensor scoresGrad)
    {
        (t, d, dv, this.scale) = (query.Shape[0], query.Shape[1], value.Shape[1], scale);
        (q, k, v, y) = (query.ToDoubleArray(), key.ToDoubleArray(), value.ToDoubleArray(), target.ToDoubleArray());
        (s, p, o) = (scores.ToDoubleArray(), weights.ToDoubleArray(), output.ToDoubleArray());
        (dO, dP, dS) = (output.Grad!.ToDoubleArray(), weightsGrad.ToDoubleArray(), scoresGrad.ToDoubleArray());
        (dq, dk, dV) = (query.Grad!.ToDoubleArray(), key.Grad!.ToDoubleArray(), value.Grad!.ToDoubleArray());
    }

    public IReadOnlyList<string> Forward(double cost)
    {
        var lines = new List<string>
        {
            $"One causal attention head: {t} tokens, head dimension {d}, a row per token (query i asks, key j answers, value j is what it passes on)",
            $"q = {Matrix(q, d)}",
            $"k = {Matrix(k, d)}",
            $"v = {Matrix(v, dv)}",
            $"S = q·kᵀ·scale, scale = 1/√{d} = {F(scale)}: S[i,j] = (q[i]·k[j])·scale",
        };
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                string dot = string.Join(" + ", Enumerable.Range(0, d).Select(c => $"{F(q[i * d + c])}·{F(k[j * d + c])}"));
                lines.Add($"  S[{i},{j}] = ({dot})·{F(scale)} = {F(s[i * t + j])}");
            }
        }
        var masked = Enumerable.Range(0, t).SelectMany(i => Enumerable.Range(i + 1, t - i - 1).Select(j => $"S[{i},{j}]")).ToList();
        if (masked.Count > 0) lines.Add($"causal mask: {string.Join(", ", masked)} become −∞, so that no token attends to the tokens after it");
        lines.Add("P = softmax(S) row by row: P[i,j] = exp(S[i,j]) / Σₗ exp(S[i,l]), and exp(−∞) = 0");
        for (int i = 0; i < t; i++)
        {
            string row = string.Join(", ", Enumerable.Range(0, t).Select(j => j > i ? "−∞" : F(s[i * t + j])));
            lines.Add($"  P[{i}] = softmax([{row}]) = {Row(p, i, t)}");
        }
        lines.Add("O = P·v: O[i] = Σⱼ P[i,j]·v[j]");
        for (int i = 0; i < t; i++)
        {
            string sum = string.Join(" + ", Enumerable.Range(0, t).Select(j => $"{F(p[i * t + j])}·{Row(v, j, dv)}"));
            lines.Add($"  O[{i}] = {sum} = {Row(o, i, dv)}");
        }
        lines.Add($"C = ½ Σ (O − Y)² = {F(cost)}, Y = {Matrix(y, dv)}");
        return lines;
    }

    public IReadOnlyList<NetworkExplanation.Step> Backward()
    {
        var steps = new List<NetworkExplanation.Step>
        {
            new("loss: dC/dO = O − Y", [.. Enumerable.Range(0, t).Select(i => $"dC/dO[{i}] = {Row(o, i, dv)} − {Row(y, i, dv)} = {Row(dO, i, dv)}")], []),
            new("values: dC/dv = Pᵀ·dC/dO", [], Terms(t, dv, (j, c) => new($"dC/dv[{j},{c}]", $"dC/dO[i,{c}]", $"P[i,{j}]",
                [.. Enumerable.Range(0, t).Select(i => (dO[i * dv + c], p[i * t + j]))], dV[j * dv + c], "ᵢ"))),
            new("weights: dC/dP = dC/dO·vᵀ", [], Terms(t, t, (i, j) => new($"dC/dP[{i},{j}]", "dC/dO[" + i + ",c]", $"v[{j},c]",
                [.. Enumerable.Range(0, dv).Select(c => (dO[i * dv + c], v[j * dv + c]))], dP[i * t + j], "_c"))),
            new("softmax, row by row: its Jacobian-vector product",
            [
                "P[i] = softmax(S[i]) has the Jacobian dP[i,j]/dS[i,l] = P[i,j]·([j = l] − P[i,l]); multiplied by the upstream row dC/dP[i],",
                "dC/dS[i,l] = Σⱼ dC/dP[i,j]·P[i,j]·([j = l] − P[i,l]) = P[i,l]·(dC/dP[i,l] − ⟨dC/dP[i], P[i]⟩), one dot product per row, no T×T matrix",
                "a masked score (j > i) has P[i,j] = 0, so dC/dS[i,j] = 0 whatever dC/dP[i,j] is: the mask is a constant, and no gradient",
                "  reaches q[i] or k[j] through a key that query i does not see",
                "token 0 sees itself alone: P[0,0] = 1 whatever S[0,0] is, so dC/dS[0,0] = 0 and dC/dq[0] = 0",
            ], []),
        };
        for (int i = 0; i < t; i++)
        {
            double dot = Enumerable.Range(0, t).Sum(j => dP[i * t + j] * p[i * t + j]);
            string products = string.Join(" + ", Enumerable.Range(0, t).Select(j => $"{F(dP[i * t + j])}·{F(p[i * t + j])}"));
            string inner = $"⟨dC/dP[{i}], P[{i}]⟩";
            var terms = Enumerable.Range(0, t).Select(j => new ChainRuleTerm($"dC/dS[{i},{j}]", $"(dC/dP[{i},{j}] − {inner})", $"P[{i},{j}]",
                [(dP[i * t + j] - dot, p[i * t + j])], dS[i * t + j])).ToList();
            steps.Add(new($"softmax of row {i}: dC/dS[{i}] = P[{i}] ⊙ (dC/dP[{i}] − {inner})", [$"{inner} = Σⱼ dC/dP[{i},j]·P[{i},j] = {products} = {F(dot)}"], terms));
        }
        steps.Add(new("queries: dC/dq = dC/dS·k·scale", [], Terms(t, d, (i, c) => new($"dC/dq[{i},{c}]", $"dC/dS[{i},j]", $"k[j,{c}]·scale",
            [.. Enumerable.Range(0, t).Select(j => (dS[i * t + j], k[j * d + c] * scale))], dq[i * d + c]))));
        steps.Add(new("keys: dC/dk = dC/dSᵀ·q·scale", [], Terms(t, d, (j, c) => new($"dC/dk[{j},{c}]", $"dC/dS[i,{j}]", $"q[i,{c}]·scale",
            [.. Enumerable.Range(0, t).Select(i => (dS[i * t + j], q[i * d + c] * scale))], dk[j * d + c], "ᵢ"))));
        return steps;
    }

    /// <summary>A term for each entry [r, c] of a rows×columns gradient.</summary>
    private static List<ChainRuleTerm> Terms(int rows, int columns, Func<int, int, ChainRuleTerm> term) =>
        [.. Enumerable.Range(0, rows * columns).Select(at => term(at / columns, at % columns))];

    private static string F(double value) => LayerNarrator.Format(value);

    private static string Row(double[] values, int row, int width) => "[" + string.Join(", ", values.Skip(row * width).Take(width).Select(F)) + "]";

    private static string Matrix(double[] values, int width) => "[" + string.Join(", ", Enumerable.Range(0, values.Length / width).Select(r => Row(values, r, width))) + "]";
}

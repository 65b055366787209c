namespace Backprop.Explain;

/// <summary>
/// One causal attention head's forward and backward pass on a tiny example, narrated number by number: the scores
/// S = q·kᵀ·scale, the causal mask, the softmax row by row (P), the output O = P·v, a loss C = ½ Σ (O − Y)², and back:
/// dC/dv = Pᵀ·dC/dO, dC/dP = dC/dO·vᵀ, the softmax's Jacobian-vector product row by row, dC/dq = dC/dS·k·scale and
/// dC/dk = dC/dSᵀ·q·scale. The head runs through the engine twice: once as the fused op the models use
/// (<see cref="Attention.ScaledDotProductAttention"/>, whose own weights, output and gradients the narration shows), and
/// once spelled out in the engine's primitive ops (matmul, mask, softmax, matmul), whose kept gradients give dC/dP and
/// dC/dS, the two gradients inside the fused op. Every number shown is one of these, or a sum of products of them whose
/// result is the engine's (each <see cref="ChainRuleTerm"/> carries both).
/// </summary>
public sealed class AttentionExplanation
{
    private AttentionExplanation(Tensor query, Tensor key, Tensor value, Tensor target, double scale, Tensor scores, Tensor weights, Tensor output, double cost,
        IReadOnlyList<string> forward, IReadOnlyList<NetworkExplanation.Step> backward)
    {
        (Query, Key, Value, Target, Scale, Scores, Weights, Output, Cost) = (query, key, value, target, scale, scores, weights, output, cost);
        Forward = forward;
        Backward = backward;
    }

    /// <summary>The queries q [T, d], a row per token (with the engine's gradient in <see cref="Tensor.Grad"/>).</summary>
    public Tensor Query { get; }

    /// <summary>The keys k [T, d] (with their gradient).</summary>
    public Tensor Key { get; }

    /// <summary>The values v [T, dv] (with their gradient).</summary>
    public Tensor Value { get; }

    /// <summary>The target Y [T, dv] of the loss C = ½ Σ (O − Y)².</summary>
    public Tensor Target { get; }

    /// <summary>The scale of the scores, 1/√d.</summary>
    public double Scale { get; }

    /// <summary>The scores q·kᵀ·scale [T, T] before the mask.</summary>
    public Tensor Scores { get; }

    /// <summary>The attention weights P [T, T], the op's own.</summary>
    public Tensor Weights { get; }

    /// <summary>The output O = P·v [T, dv] (with its gradient dC/dO).</summary>
    public Tensor Output { get; }

    /// <summary>The loss C = ½ Σ (O − Y)².</summary>
    public double Cost { get; }

    /// <summary>The forward pass, a line per value.</summary>
    public IReadOnlyList<string> Forward { get; }

    /// <summary>The backward pass, from the loss back to q, k and v.</summary>
    public IReadOnlyList<NetworkExplanation.Step> Backward { get; }

    /// <summary>
    /// The example <c>backprop explain attention</c> narrates: three tokens, head dimension 2 (so scale 1/√2), the
    /// queries, keys, values and target below.
    /// </summary>
    public static AttentionExplanation Example() => Run(
        query: new double[,] { { 0.5, -1 }, { 1, 0.5 }, { -0.5, 1 } },
        key: new double[,] { { 1, 0 }, { 0.5, 1 }, { -1, 0.5 } },
        value: new double[,] { { 1, 2 }, { 0, -1 }, { 3, 0 } },
        target: new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });

    /// <summary>
    /// Runs one causal head over <paramref name="query"/> and <paramref name="key"/> [T, d] and <paramref name="value"/>
    /// [T, dv] in float64, scale 1/√d, against <paramref name="target"/> [T, dv], and narrates it.
    /// </summary>
    public static AttentionExplanation Run(double[,] query, double[,] key, double[,] value, double[,] target)
    {
        int t = query.GetLength(0), d = query.GetLength(1);
        if (t < 1 || d < 1) throw new ArgumentException("explain attention: the queries need at least one token and one dimension");
        if (key.GetLength(0) != t || key.GetLength(1) != d) throw new ArgumentException($"explain attention: the keys are {key.GetLength(0)}×{key.GetLength(1)}, the queries {t}×{d}; they must match");
        if (value.GetLength(0) != t) throw new ArgumentException($"explain attention: {value.GetLength(0)} values for {t} keys; there must be one per key");
        if (target.GetLength(0) != t || target.GetLength(1) != value.GetLength(1))
        {
            throw new ArgumentException($"explain attention: the target is {target.GetLength(0)}×{target.GetLength(1)}, the output {t}×{value.GetLength(1)}; they must match");
        }
        var y = Tensor.FromArray(target);

        // The fused op, as a GPT's head runs it: its weights (recorded as it computes them), output and gradients.
        var (q, k, v) = (Leaf(query), Leaf(key), Leaf(value));
        Tensor output, weights;
        using (var recorder = new AttentionWeightsRecorder())
        {
            output = Attention.ScaledDotProductAttention(q, k, v, isCausal: true);
            weights = recorder.Weights[0];
        }
        output.RetainGrad();
        var cost = HalfSquaredError(output, y);
        cost.Backward();

        // The same head in primitive ops, for the gradients the fused op keeps to itself: dC/dP and dC/dS.
        double scale = 1 / Math.Sqrt(d);
        var (q2, k2, v2) = (Leaf(query), Leaf(key), Leaf(value));
        var scores = q2.MatMul(k2.Transpose()) * scale;
        var probabilities = (scores + CausalMask(t)).Softmax(-1);
        scores.RetainGrad();
        probabilities.RetainGrad();
        HalfSquaredError(probabilities.MatMul(v2), y).Backward();

        var narrator = new AttentionNarrator(q, k, v, y, scale, scores, weights, output, probabilities.Grad!, scores.Grad!);
        return new AttentionExplanation(q, k, v, y, scale, scores.Detach(), weights, output, cost.Item(), narrator.Forward(cost.Item()), narrator.Backward());
    }

    /// <summary>The whole narration as text.</summary>
    public override string ToString() => NetworkExplanation.Text(Forward, Backward);

    private static Tensor Leaf(double[,] values)
    {
        var leaf = Tensor.FromArray(values);
        leaf.RequiresGrad = true;
        return leaf;
    }

    private static Tensor HalfSquaredError(Tensor output, Tensor target)
    {
        var error = output - target;
        return (error * error).Sum() * 0.5;
    }

    /// <summary>−∞ above the diagonal of a T×T matrix, 0 elsewhere: added to the scores, it hides the keys after each query.</summary>
    private static Tensor CausalMask(int t)
    {
        var mask = new double[t * t];
        for (int i = 0; i < t; i++)
        {
            for (int j = i + 1; j < t; j++) mask[i * t + j] = double.NegativeInfinity;
        }
        return Tensor.FromArray(mask, new Shape(t, t));
    }
}

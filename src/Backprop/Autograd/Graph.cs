namespace Backprop.Autograd;

/// <summary>Where ops record themselves: each op computes its result, then registers its inputs and local derivative here.</summary>
public static class Graph
{
    /// <summary>
    /// Attaches a node to <paramref name="result"/> when grad mode is on and any input requires grad; otherwise
    /// returns the result untouched. <paramref name="backward"/> maps <paramref name="state"/> (what the op saved for
    /// backward, such as its inputs) and dL/d(result) to dL/d(input) per input, and may return a gradient in the broadcast
    /// shape: the engine sums it back to the input's shape. Written as a <c>static</c> lambda, the rule allocates nothing
    /// per call, and nothing at all is allocated when no graph is recorded (under <see cref="NoGrad"/>).
    /// </summary>
    public static Tensor Record<TState>(string name, Tensor result, ReadOnlySpan<Tensor> inputs, TState state, Func<TState, Tensor, Tensor?[]> backward)
    {
        if (AnomalyMode.IsEnabled) AnomalyMode.CheckForward(name, result, inputs);
        if (!GradMode.IsEnabled || !AnyRequiresGrad(inputs)) return result;
        result.SetGradFn(new NodeWithState<TState>(name, inputs.ToArray(), state, backward) { CreatedIn = AnomalyMode.IsEnabled ? AnomalyMode.CurrentPlace() : null });
        return result;
    }

    /// <summary>
    /// <see cref="Record{TState}"/> for a rule that needs nothing but the output's gradient (<c>static g =&gt; [g, g]</c>),
    /// or, simpler to write for an op of one's own, one that captures what it needs, at the cost of a closure and its
    /// delegate on every call.
    /// </summary>
    public static Tensor Record(string name, Tensor result, ReadOnlySpan<Tensor> inputs, Func<Tensor, Tensor?[]> backward) =>
        Record(name, result, inputs, backward, static (rule, g) => rule(g));

    private static bool AnyRequiresGrad(ReadOnlySpan<Tensor> inputs)
    {
        foreach (var input in inputs) if (input.RequiresGrad) return true;
        return false;
    }
}

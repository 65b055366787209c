namespace Backprop.Autograd;

/// <summary>Where ops record themselves: each op computes its result, then registers its inputs and local derivative here.</summary>
public static class Graph
{
    /// <summary>
    /// Attaches a node to <paramref name="result"/> when grad mode is on and any input requires grad; otherwise
    /// returns the result untouched. <paramref name="backward"/> maps dL/d(result) to dL/d(input) per input, and may
    /// return a gradient in the broadcast shape: the engine sums it back to the input's shape.
    /// </summary>
    public static Tensor Record(string name, Tensor result, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        if (AnomalyMode.IsEnabled) AnomalyMode.CheckForward(name, result, inputs);
        if (!GradMode.IsEnabled || !Array.Exists(inputs, t => t.RequiresGrad)) return result;
        result.SetGradFn(new Node(name, inputs, backward) { CreatedIn = AnomalyMode.IsEnabled ? AnomalyMode.CurrentPlace() : null });
        return result;
    }
}

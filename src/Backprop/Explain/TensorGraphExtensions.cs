namespace Backprop.Explain;

/// <summary>The recorded graph behind a tensor, drawn from the tensor itself.</summary>
public static class TensorGraphExtensions
{
    /// <summary>
    /// The computation graph that produced <paramref name="tensor"/> as Graphviz DOT (see <see cref="ComputationGraph.ToDot"/>):
    /// one box per op with its name, shape, value and (after backward, where kept) gradient. Render with <c>dot -Tsvg</c>.
    /// </summary>
    public static string ToDot(this Tensor tensor, IReadOnlyDictionary<Tensor, string>? names = null, int maxNodes = 500) =>
        ComputationGraph.Of(tensor, maxNodes).ToDot(names);
}

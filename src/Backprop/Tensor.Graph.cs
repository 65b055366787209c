using Backprop.Autograd;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// The computation graph that produced this tensor as Graphviz DOT (see <see cref="ComputationGraph.ToDot"/>): one
    /// box per op with its name, shape, value and (after backward, where kept) gradient. Render with <c>dot -Tsvg</c>.
    /// </summary>
    public string ToDot(IReadOnlyDictionary<Tensor, string>? names = null, int maxNodes = 500) => ComputationGraph.Of(this, maxNodes).ToDot(names);
}

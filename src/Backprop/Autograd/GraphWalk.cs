namespace Backprop.Autograd;

/// <summary>
/// The one walk over a recorded graph, serving both the backward pass and the graph's picture
/// (Explain's <c>ComputationGraph</c>): every tensor reachable from a root through its ops' inputs, each after the
/// tensors it was computed from (the root last), found without recursion, so that a deep graph cannot overflow the stack.
/// Its collections are kept between walks (the engine reuses one walk per thread), so that a training step does not
/// reallocate them.
/// </summary>
internal sealed class GraphWalk
{
    private readonly HashSet<Tensor> visited = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<(Tensor Tensor, int NextInput)> stack = new();

    /// <summary>The tensors found by the last walk, inputs before the ops that read them; the root is last.</summary>
    public List<Tensor> Order { get; } = [];

    /// <summary>How many input-to-op edges the last walk followed (an input read twice by one op counts twice).</summary>
    public int EdgeCount { get; private set; }

    /// <summary>
    /// Walks the graph behind <paramref name="root"/>, following only inputs that require grad when
    /// <paramref name="gradientsOnly"/> (all that backward needs) or every input otherwise (constants too, for a picture).
    /// Returns false, with the walk unfinished, as soon as it finds more than <paramref name="maxNodes"/> tensors.
    /// </summary>
    public bool Run(Tensor root, bool gradientsOnly, int maxNodes = int.MaxValue)
    {
        Clear();
        visited.Add(root);
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var inputs = tensor.GradFn?.Inputs ?? [];
            if (next < inputs.Count)
            {
                stack.Push((tensor, next + 1));
                var input = inputs[next];
                if (gradientsOnly && !input.RequiresGrad) continue;
                EdgeCount++;
                if (!visited.Add(input)) continue;
                if (visited.Count > maxNodes) return false;
                stack.Push((input, 0));
            }
            else
            {
                Order.Add(tensor);
            }
        }
        return true;
    }

    /// <summary>Empties every collection, so that no tensor stays reachable from here.</summary>
    public void Clear()
    {
        Order.Clear();
        visited.Clear();
        stack.Clear();
        EdgeCount = 0;
    }
}

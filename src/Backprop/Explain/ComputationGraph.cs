using System.Globalization;
using System.Text;
using Backprop.Autograd;

namespace Backprop.Explain;

/// <summary>
/// The recorded graph behind a tensor, as data: every tensor it was computed from (op results and leaves), inputs
/// before the ops that read them, and the edges between them. It can keep every op's gradient through the next backward
/// pass (<see cref="RetainGrads"/>) and draw itself as Graphviz DOT (<see cref="ToDot"/>).
/// </summary>
public sealed class ComputationGraph
{
    private ComputationGraph(IReadOnlyList<Tensor> tensors, int edgeCount)
    {
        Tensors = tensors;
        EdgeCount = edgeCount;
    }

    /// <summary>Every tensor of the graph, each after the tensors it was computed from; the root is last.</summary>
    public IReadOnlyList<Tensor> Tensors { get; }

    /// <summary>How many input-to-op edges the graph has (an input read twice by one op counts twice).</summary>
    public int EdgeCount { get; }

    /// <summary>
    /// Walks the graph behind <paramref name="root"/> (the engine's own walk, without recursion). Throws as soon as it finds
    /// more than <paramref name="maxNodes"/> tensors, since a larger drawing helps nobody.
    /// </summary>
    public static ComputationGraph Of(Tensor root, int maxNodes = int.MaxValue)
    {
        var walk = new GraphWalk();
        if (!walk.Run(root, gradientsOnly: false, maxNodes)) throw new InvalidOperationException($"graph: more than {maxNodes} nodes, too many to draw");
        return new ComputationGraph([.. walk.Order], walk.EdgeCount);
    }

    /// <summary>Makes every op result of the graph keep its gradient in the next backward pass (leaves always do).</summary>
    public void RetainGrads()
    {
        foreach (var tensor in Tensors)
        {
            if (tensor.RequiresGrad && !tensor.IsLeaf) tensor.RetainGrad();
        }
    }

    /// <summary>
    /// The graph as Graphviz DOT: a box per op (its name, shape, value and, after backward, gradient), an ellipse per
    /// leaf (named from <paramref name="names"/> where given, such as a model's parameter names), data flowing along the
    /// edges from inputs to the ops that read them.
    /// </summary>
    public string ToDot(IReadOnlyDictionary<Tensor, string>? names = null)
    {
        var ids = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var dot = new StringBuilder("digraph backprop {\n  rankdir=BT;\n  node [fontname=\"DejaVu Sans\", fontsize=10];\n");
        foreach (var tensor in Tensors)
        {
            int id = ids.Count;
            ids[tensor] = id;
            string title = tensor.GradFn?.Name ?? (names is not null && names.TryGetValue(tensor, out var name) ? name : tensor.RequiresGrad ? "leaf" : "constant");
            var lines = new List<string> { title, tensor.Shape.ToString(), "value " + Summary(tensor) };
            if (tensor.Grad is { IsReleased: false } grad) lines.Add("grad " + Summary(grad));
            string style = tensor.GradFn is null ? "shape=ellipse, style=filled, fillcolor=\"#dbeafe\"" : "shape=box";
            dot.Append(CultureInfo.InvariantCulture, $"  t{id} [{style}, label=\"{Escape(string.Join("\n", lines))}\"];\n");
        }
        foreach (var tensor in Tensors)
        {
            foreach (var input in tensor.GradFn?.Inputs ?? []) dot.Append(CultureInfo.InvariantCulture, $"  t{ids[input]} -> t{ids[tensor]};\n");
        }
        return dot.Append("}\n").ToString();
    }

    /// <summary>A tensor's values in a few characters: all of them when there are at most four, else the first three and the norm.</summary>
    public static string Summary(Tensor tensor)
    {
        if (tensor.IsReleased) return "(released)";
        var values = tensor.ToDoubleArray();
        if (values.Length <= 4) return "[" + string.Join(", ", values.Select(Format)) + "]";
        double norm = Math.Sqrt(values.Sum(v => v * v));
        return $"[{string.Join(", ", values.Take(3).Select(Format))}, …] ‖·‖ {Format(norm)}";
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// The shape entering each layer of a network for a batch of one example, found by running the model on a zero example
/// (int64 token 0s for a network that starts by reading tokens) in evaluation mode without gradients (BatchNorm's running
/// statistics and every mode are left as they were), so that export knows the sizes ONNX wants written out (a Reshape's
/// target, an adaptive pooling's windows) and which of them follow the sequence's length.
/// </summary>
internal static class ShapeTrace
{
    /// <summary>
    /// <c>shapes[i]</c> is the input of layer i and the last entry the model's output, each [1, …]; a layer that does not
    /// take its input is an <see cref="ArgumentException"/> naming it. <paramref name="owner"/> holds the layers.
    /// </summary>
    public static IReadOnlyList<Shape> Of(Module owner, IReadOnlyList<Module> layers, IReadOnlyList<int> inputShape) => Run(owner, layers, inputShape, quiet: false)!;

    /// <summary>
    /// For a network that reads sequences (its first layer an <see cref="Embedding"/>, a <see cref="GPT"/>, a recurrent
    /// layer or a <see cref="MultiheadAttention"/>), the shapes for a sequence of another length than the example's first
    /// axis; null for any other network, or when some layer only takes the example's length.
    /// </summary>
    public static IReadOnlyList<Shape>? OtherLength(Module owner, IReadOnlyList<Module> layers, IReadOnlyList<int> inputShape)
    {
        if (inputShape.Count == 0 || layers.Count == 0 || !(ReadsTokens(layers) || layers[0] is RecurrentLayer or MultiheadAttention)) return null;
        return Run(owner, layers, [inputShape[0] == 1 ? 2 : 1, .. inputShape.Skip(1)], quiet: true);
    }

    /// <summary>Whether the network's input is int64 token indices: its first layer is an <see cref="Embedding"/> or a <see cref="GPT"/>.</summary>
    public static bool ReadsTokens(IReadOnlyList<Module> layers) => layers.Count > 0 && layers[0] is Embedding or GPT;

    private static List<Shape>? Run(Module owner, IReadOnlyList<Module> layers, IReadOnlyList<int> inputShape, bool quiet)
    {
        var modes = PreOrder(owner).Select(m => (Module: m, m.IsTraining)).ToList();
        var dtype = ReadsTokens(layers) ? DType.Int64 : owner.Parameters().FirstOrDefault()?.DType ?? DType.Float32;
        var x = Tensor.Zeros([1, .. inputShape], dtype);
        var shapes = new List<Shape> { x.Shape };
        owner.Eval();
        try
        {
            using var _ = new NoGrad();
            for (int i = 0; i < layers.Count; i++)
            {
                try
                {
                    x = layers[i].Forward(x);
                }
                catch (ArgumentException) when (quiet)
                {
                    return null;
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"onnx export: layer {i} ({LayerNodes.Describe(layers[i])}) does not take input of shape {Per(x.Shape)} per example: {e.Message}", e);
                }
                shapes.Add(x.Shape);
            }
        }
        finally
        {
            // Parents first: Train(mode) sets a module's children too, and each child's own entry comes after its parent's.
            foreach (var (module, training) in modes) module.Train(training);
        }
        return shapes;
    }

    /// <summary>[1, 28, 28] for a batch shape [1, 1, 28, 28].</summary>
    public static string Per(Shape batch) => $"[{string.Join(", ", batch.ToArray()[1..])}]";

    private static IEnumerable<Module> PreOrder(Module module)
    {
        var stack = new Stack<Module>([module]);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            yield return next;
            foreach (var (_, child) in next.NamedChildren().Reverse()) stack.Push(child);
        }
    }
}

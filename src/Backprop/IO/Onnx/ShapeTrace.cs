using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// The shape entering each layer of a <see cref="Sequential"/> for a batch of one example, found by running the model on
/// a zero example in evaluation mode without gradients (BatchNorm's running statistics and every mode are left as they
/// were), so that export knows the sizes ONNX wants written out (a Reshape's target, an adaptive pooling's windows).
/// </summary>
internal static class ShapeTrace
{
    /// <summary>
    /// <c>shapes[i]</c> is the input of layer i and the last entry the model's output, each [1, …]; a layer that does not
    /// take its input is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static IReadOnlyList<Shape> Of(Sequential model, IReadOnlyList<int> inputShape)
    {
        var modes = PreOrder(model).Select(m => (Module: m, m.IsTraining)).ToList();
        var dtype = model.Parameters().FirstOrDefault()?.DType ?? DType.Float32;
        var x = Tensor.Zeros([1, .. inputShape], dtype);
        var shapes = new List<Shape> { x.Shape };
        model.Eval();
        try
        {
            using var _ = new NoGrad();
            for (int i = 0; i < model.Layers.Count; i++)
            {
                try
                {
                    x = model.Layers[i].Forward(x);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"onnx export: layer {i} ({LayerNodes.Describe(model.Layers[i])}) does not take input of shape {Per(x.Shape)} per example: {e.Message}", e);
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

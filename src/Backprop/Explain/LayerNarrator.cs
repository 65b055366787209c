using System.Globalization;
using Backprop.NN;

namespace Backprop.Explain;

/// <summary>
/// How <see cref="NetworkExplanation"/> tells one layer's part of a forward and backward pass: the line that says what the
/// layer computed, and the backward step that writes its gradients as upstream gradient times local derivative. One
/// narrator per kind of layer; the gradients are always the engine's own, read from <see cref="Tensor.Grad"/>.
/// </summary>
internal abstract class LayerNarrator(int index)
{
    /// <summary>The layer's position in the <see cref="Sequential"/>.</summary>
    protected int Index { get; } = index;

    /// <summary>The letter the layer's output is named with: z for a weighted sum, a for an activation, ….</summary>
    public abstract string Letter { get; }

    /// <summary>The forward line: "<paramref name="output"/> = … = values".</summary>
    public abstract string Forward(string output, string input, Tensor inputValue, Tensor outputValue);

    /// <summary>The backward step, from the output's gradient to the parameters' and the input's.</summary>
    public abstract NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue);

    /// <summary>The narrator for <paramref name="layer"/>, or an error naming a layer no narrator tells.</summary>
    public static LayerNarrator For(Module layer, int index) => layer switch
    {
        Linear linear => new LinearNarrator(index, linear),
        Conv2d conv => new ConvNarrator(index, conv),
        MaxPool2d pool => new MaxPoolNarrator(index, pool),
        AvgPool2d or AdaptiveAvgPool2d => new AveragePoolNarrator(index, layer),
        BatchNormBase norm => new BatchNormNarrator(index, norm),
        ActivationModule activation => new ActivationNarrator(index, activation),
        Flatten or Dropout or Dropout2d => new ReshapeNarrator(index, layer),
        _ => throw new ArgumentException($"explain: layer {index} ({layer.GetType().Name}) cannot be narrated (linear, convolution, pooling, batch norm, activation, flatten and dropout layers can)"),
    };

    /// <summary>
    /// The engine's derivative of an element-wise <paramref name="f"/> at <paramref name="x"/>, element by element:
    /// d/dx of Σ f(x) is f'(x) where each output depends on its own input alone (and for f a sum of element-wise terms,
    /// such as a weight penalty, each term's derivative). Computed on a detached copy of <paramref name="x"/>, so no other
    /// tensor's gradient changes.
    /// </summary>
    internal static Tensor LocalDerivative(Func<Tensor, Tensor> f, Tensor x)
    {
        var at = x.Detach();
        at.RequiresGrad = true;
        f(at).Sum().Backward();
        return at.Grad!;
    }

    /// <summary>A tensor's values, or its summary when it is large.</summary>
    internal static string List(Tensor t) => ComputationGraph.Summary(t);

    /// <summary>Four significant digits; −0 (a zero weight times a negative gradient) prints as 0, which is what it means.</summary>
    internal static string Format(double value) => (value == 0 ? 0.0 : value).ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A short line for a tensor's gradient: "dC/dK0: shape [2,1,3,3], [0.1, −0.2, …] ‖·‖ 0.5".</summary>
    protected static string Summary(string name, Tensor gradient) => $"{name}: shape {gradient.Shape}, {ComputationGraph.Summary(gradient)}";
}

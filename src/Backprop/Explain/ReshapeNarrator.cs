using Backprop.NN;

namespace Backprop.Explain;

/// <summary>Flatten (a view with another shape) and dropout (which the narration runs as at inference: identity): the gradient passes through unchanged in value.</summary>
internal sealed class ReshapeNarrator(int index, Module layer) : LayerNarrator(index)
{
    public override string Letter => layer is Flatten ? "f" : "d";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) => layer is Flatten
        ? $"{output} = flatten({input}) = {List(outputValue)}    ({inputValue.Shape} viewed as {outputValue.Shape})"
        : $"{output} = {input}    (dropout passes everything through at inference, as the narration runs it)";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        string what = layer is Flatten ? $"flatten (layer {Index}): {output} = flatten({input})" : $"dropout (layer {Index}): {output} = {input}";
        string line = layer is Flatten
            ? $"dC/d{input} = dC/d{output} viewed as {inputValue.Shape}: every value's local derivative is 1"
            : $"dC/d{input} = dC/d{output}: the local derivative is 1";
        return new(what, [line], []);
    }
}

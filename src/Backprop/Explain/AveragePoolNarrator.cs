using Backprop.NN;

namespace Backprop.Explain;

/// <summary>Average pooling: each window's mean, so each input gets every window it is in's upstream gradient divided by the window's size.</summary>
internal sealed class AveragePoolNarrator(int index, Module pool) : LayerNarrator(index)
{
    public override string Letter => "p";

    private string Op => pool is AdaptiveAvgPool2d ? "adaptive_avg_pool2d" : "avg_pool2d";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) =>
        $"{output} = {Op}({input}) = {List(outputValue)}    (the mean of each window{(pool is AvgPool2d avg ? $" of {avg.KernelSize.Height}×{avg.KernelSize.Width}, stride {avg.Stride}" : $", {outputValue.Shape[2]}×{outputValue.Shape[3]} windows per channel")})";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        var lines = new List<string> { $"dC/d{input}[c,y,x] = Σ dC/d{output}[c,i,j] / (size of window (i,j)) over the windows (i,j) that hold {input}[c,y,x]" };
        lines.Add(inputValue.Grad is { } inputGrad ? Summary($"dC/d{input}", inputGrad) : "no gradient flows further back");
        return new($"{outputValue.GradFn!.Name} (layer {Index}): {output} = {Op}({input})", lines, []);
    }
}

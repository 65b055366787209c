using Backprop.NN;

namespace Backprop.Explain;

/// <summary>
/// Max pooling, p[c,i,j] = the largest a[c,y,x] in window (i,j): its local derivative is 1 for that arg-max and 0 for the
/// rest of the window, so each window's upstream gradient is routed to its arg-max and nowhere else.
/// </summary>
internal sealed class MaxPoolNarrator(int index, MaxPool2d pool) : LayerNarrator(index)
{
    public override string Letter => "p";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) =>
        $"{output} = max_pool2d({input}) = {List(outputValue)}    (the largest of each {pool.KernelSize.Height}×{pool.KernelSize.Width} window, stride {pool.Stride})";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        var title = $"{outputValue.GradFn!.Name} (layer {Index}): {output} = max_pool2d({input})";
        var lines = new List<string> { $"dC/d{input}[c,y,x] = dC/d{output}[c,i,j] where {input}[c,y,x] is the largest of window (i,j), else 0: the gradient is routed to each window's arg-max" };
        if (inputValue.Grad is not { } inputGrad) return new(title, [.. lines, "no gradient flows further back"], []);

        int channels = inputValue.Shape[1], h = inputValue.Shape[2], w = inputValue.Shape[3], oh = outputValue.Shape[2], ow = outputValue.Shape[3];
        var a = inputValue.ToDoubleArray();
        var upstream = outputValue.Grad!.ToDoubleArray();
        int shown = 0;
        for (int c = 0; c < channels && shown < NetworkExplanation.MaxTermsPerTensor; c++)
        {
            for (int i = 0; i < oh && shown < NetworkExplanation.MaxTermsPerTensor; i++)
            {
                for (int j = 0; j < ow && shown < NetworkExplanation.MaxTermsPerTensor; j++, shown++)
                {
                    var (y, x) = ArgMax(a, c, i, j, h, w);
                    lines.Add($"window ({i},{j}) of channel {c}: the largest is {input}[{c},{y},{x}] = {Format(a[(c * h + y) * w + x])}, which gets dC/d{output}[{c},{i},{j}] = {Format(upstream[(c * oh + i) * ow + j])}");
                }
            }
        }
        if (shown < channels * oh * ow) lines.Add($"… and so on for the other {channels * oh * ow - shown} windows");
        lines.Add(Summary($"dC/d{input}", inputGrad));
        return new(title, lines, []);
    }

    /// <summary>The first largest value of window (i, j) in row-major order (padding, at −∞, never wins).</summary>
    private (int Y, int X) ArgMax(double[] a, int c, int i, int j, int h, int w)
    {
        (int, int) best = (-1, -1);
        double largest = double.NegativeInfinity;
        for (int p = 0; p < pool.KernelSize.Height; p++)
        {
            for (int q = 0; q < pool.KernelSize.Width; q++)
            {
                int y = i * pool.Stride.Height + p - pool.Padding.Height, x = j * pool.Stride.Width + q - pool.Padding.Width;
                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                double value = a[(c * h + y) * w + x];
                if (value > largest || best.Item1 < 0) (largest, best) = (value, (y, x));
            }
        }
        return best;
    }
}

using Backprop.NN;

namespace Backprop.Explain;

/// <summary>
/// A convolution, z[o,y,x] = Σ_{c,p,q} K[o,c,p,q] · a[c, s·y + d·p − pad, s·x + d·q − pad] + b[o]: each kernel weight's
/// gradient is the sum over the output positions of the upstream gradient times the input value the weight met there,
/// dC/dK[o,c,p,q] = Σ_{y,x} dC/dz[o,y,x] · a[c, s·y + d·p − pad, s·x + d·q − pad]; the bias's is Σ_{y,x} dC/dz[o,y,x].
/// </summary>
internal sealed class ConvNarrator(int index, Conv2d conv) : LayerNarrator(index)
{
    /// <summary>The sums run over the output positions.</summary>
    private const string Positions = "_(y,x)";

    public override string Letter => "z";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) =>
        $"{output} = conv2d({input}, K{Index}){(conv.Bias is null ? "" : $" + b{Index}")} = {List(outputValue)}    (convolution {conv.InChannels}→{conv.OutChannels} " +
        $"channels, kernel {conv.KernelSize}, stride {conv.Stride}, padding {conv.Padding}: K{Index} is {Index}.weight {conv.Weight.Shape}{(conv.Bias is null ? "" : $", b{Index} is {Index}.bias")})";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        // One example: z [1, O, OH, OW], a [1, C, H, W].
        int outChannels = conv.OutChannels, perGroup = conv.InChannels / conv.Groups, outPerGroup = outChannels / conv.Groups;
        int oh = outputValue.Shape[2], ow = outputValue.Shape[3], h = inputValue.Shape[2], w = inputValue.Shape[3];
        var (top, _, left, _) = conv.Padding.Resolve(conv.KernelSize, conv.Stride, conv.Dilation, "conv2d");
        var upstream = outputValue.Grad!.ToDoubleArray();
        var a = inputValue.ToDoubleArray();
        var kernelGrad = conv.Weight.Grad!.ToDoubleArray();
        var lines = new List<string>();
        var terms = new List<ChainRuleTerm>();

        // The products of one kernel weight: every output position where the weight met an input value (not padding).
        List<(double, double)> Products(int o, int c, int p, int q)
        {
            int channel = o / outPerGroup * perGroup + c;
            var products = new List<(double, double)>();
            for (int y = 0; y < oh; y++)
            {
                for (int x = 0; x < ow; x++)
                {
                    int row = conv.Stride.Height * y + conv.Dilation.Height * p - top, column = conv.Stride.Width * x + conv.Dilation.Width * q - left;
                    if (row >= 0 && row < h && column >= 0 && column < w) products.Add((upstream[(o * oh + y) * ow + x], a[(channel * h + row) * w + column]));
                }
            }
            return products;
        }

        string position = $"{IndexExpression(conv.Stride.Height, "y", conv.Dilation.Height, "p", top)}, {IndexExpression(conv.Stride.Width, "x", conv.Dilation.Width, "q", left)}";
        lines.Add($"dC/dK{Index}[o,c,p,q] = Σ_(y,x) dC/d{output}[o,y,x] · {input}[c, {position}] over the {oh}×{ow} output positions");
        if (kernelGrad.Length <= NetworkExplanation.MaxTermsPerTensor && oh * ow <= NetworkExplanation.MaxTermsPerTensor)
        {
            int kh = conv.KernelSize.Height, kw = conv.KernelSize.Width;
            for (int o = 0; o < outChannels; o++)
            {
                for (int c = 0; c < perGroup; c++)
                {
                    for (int p = 0; p < kh; p++)
                    {
                        for (int q = 0; q < kw; q++)
                        {
                            terms.Add(new($"dC/dK{Index}[{o},{c},{p},{q}]", $"dC/d{output}[{o},y,x]", $"{input}[{o / outPerGroup * perGroup + c},{IndexExpression(conv.Stride.Height, "y", 1, "", conv.Dilation.Height * p - top)},{IndexExpression(conv.Stride.Width, "x", 1, "", conv.Dilation.Width * q - left)}]",
                                Products(o, c, p, q), kernelGrad[((o * perGroup + c) * kh + p) * kw + q], Positions));
                        }
                    }
                }
            }
        }
        else
        {
            // Too many to list: the first weight's sum, then the whole gradient in brief.
            terms.Add(new($"dC/dK{Index}[0,0,0,0]", $"dC/d{output}[0,y,x]", $"{input}[0,{IndexExpression(conv.Stride.Height, "y", 1, "", -top)},{IndexExpression(conv.Stride.Width, "x", 1, "", -left)}]", Products(0, 0, 0, 0), kernelGrad[0], Positions));
            lines.Add(Summary($"dC/dK{Index}", conv.Weight.Grad!));
        }

        if (conv.Bias is { } bias)
        {
            var biasGrad = bias.Grad!.ToDoubleArray();
            if (oh * ow <= NetworkExplanation.MaxTermsPerTensor)
            {
                for (int o = 0; o < outChannels; o++)
                {
                    terms.Add(new($"dC/db{Index}[{o}]", $"dC/d{output}[{o},y,x]", "1", [.. Enumerable.Range(0, oh * ow).Select(k => (upstream[o * oh * ow + k], 1.0))], biasGrad[o], Positions));
                }
            }
            else
            {
                lines.Add($"dC/db{Index}[o] = Σ_(y,x) dC/d{output}[o,y,x] · 1: {List(bias.Grad!)}");
            }
        }
        if (inputValue.Grad is { } inputGrad)
        {
            lines.Add(Summary($"dC/d{input}[c,i,j] = Σ dC/d{output}[o,y,x] · K{Index}[o,c,p,q] over every (o, y, x, p, q) where {input}[c,i,j] met K{Index}[o,c,p,q] (the convolution run backwards)", inputGrad));
        }
        return new($"{outputValue.GradFn!.Name} (layer {Index}): {output} = conv2d({input}, K{Index}){(conv.Bias is null ? "" : $" + b{Index}")}", lines, terms);
    }

    /// <summary>An index expression such as "2y + p − 1" (or "y + 1" for a fixed offset), dropping factors of 1 and zero terms.</summary>
    private static string IndexExpression(int stride, string output, int dilation, string kernel, int offset)
    {
        string expression = (stride == 1 ? output : $"{stride}{output}") + (kernel.Length == 0 ? "" : $" + {(dilation == 1 ? "" : dilation.ToString())}{kernel}");
        return offset == 0 ? expression : offset > 0 ? $"{expression} + {offset}" : $"{expression} − {-offset}";
    }
}

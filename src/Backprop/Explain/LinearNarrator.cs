using Backprop.NN;

namespace Backprop.Explain;

/// <summary>A linear layer, z = x·Wᵀ + b: dC/dW[j,k] = dC/dz[j] · x[k], dC/db[j] = dC/dz[j], dC/dx[k] = Σⱼ dC/dz[j] · W[j,k].</summary>
internal sealed class LinearNarrator(int index, Linear linear) : LayerNarrator(index)
{
    public override string Letter => "z";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) =>
        $"{output} = {input}·W{Index}ᵀ{(linear.Bias is null ? "" : $" + b{Index}")} = {List(outputValue)}    (linear {linear.InFeatures}→{linear.OutFeatures}: " +
        $"W{Index} is {Index}.weight{(linear.Bias is null ? "" : $", b{Index} is {Index}.bias")})";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        var upstream = outputValue.Grad!.ToDoubleArray();
        var x = inputValue.ToDoubleArray();
        var w = linear.Weight.ToDoubleArray();
        int outs = linear.OutFeatures, ins = linear.InFeatures;
        var lines = new List<string>();
        var terms = new List<ChainRuleTerm>();

        var weightGrad = linear.Weight.Grad!.ToDoubleArray();
        if (w.Length <= NetworkExplanation.MaxTermsPerTensor)
        {
            for (int j = 0; j < outs; j++)
            {
                for (int k = 0; k < ins; k++) terms.Add(new($"dC/dW{Index}[{j},{k}]", $"dC/d{output}[{j}]", $"{input}[{k}]", [(upstream[j], x[k])], weightGrad[j * ins + k]));
            }
        }
        else
        {
            lines.Add(Summary($"dC/dW{Index} = dC/d{output}ᵀ · {input} (entry [j,k] is dC/d{output}[j] · {input}[k])", linear.Weight.Grad!));
        }

        if (linear.Bias is { } bias)
        {
            var biasGrad = bias.Grad!.ToDoubleArray();
            if (biasGrad.Length <= NetworkExplanation.MaxTermsPerTensor)
            {
                for (int j = 0; j < outs; j++) terms.Add(new($"dC/db{Index}[{j}]", $"dC/d{output}[{j}]", "1", [(upstream[j], 1)], biasGrad[j]));
            }
            else
            {
                lines.Add(Summary($"dC/db{Index} = dC/d{output} · 1", bias.Grad!));
            }
        }

        if (inputValue.Grad is { } inputGrad)
        {
            var g = inputGrad.ToDoubleArray();
            if (g.Length <= NetworkExplanation.MaxTermsPerTensor)
            {
                for (int k = 0; k < ins; k++)
                {
                    var products = Enumerable.Range(0, outs).Select(j => (upstream[j], w[j * ins + k])).ToList();
                    terms.Add(new($"dC/d{input}[{k}]", outs == 1 ? $"dC/d{output}[0]" : $"dC/d{output}[j]", outs == 1 ? $"W{Index}[0,{k}]" : $"W{Index}[j,{k}]", products, g[k]));
                }
            }
            else
            {
                lines.Add(Summary($"dC/d{input} = dC/d{output} · W{Index}", inputGrad));
            }
        }
        return new($"{outputValue.GradFn!.Name} (layer {Index}): {output} = {input}·W{Index}ᵀ{(linear.Bias is null ? "" : $" + b{Index}")}", lines, terms);
    }
}

using Backprop.NN;

namespace Backprop.Explain;

/// <summary>An activation, a = f(z) element by element: dC/dz[k] = dC/da[k] · f'(z[k]), f' from the engine itself.</summary>
internal sealed class ActivationNarrator(int index, ActivationModule activation) : LayerNarrator(index)
{
    private readonly string name = activation.Activation.Name;

    public override string Letter => "a";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) => $"{output} = {name}({input}) = {List(outputValue)}";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        var title = $"{outputValue.GradFn?.Name ?? name} (layer {Index}): {output} = {name}({input})";
        if (inputValue.Grad is not { } inputGrad) return new($"{name} (layer {Index}): {output} = {name}({input})", ["no gradient flows further back"], []);
        if (inputGrad.Count > NetworkExplanation.MaxTermsPerTensor)
        {
            return new(title, [Summary($"dC/d{input} = dC/d{output} ⊙ {name}'({input})", inputGrad)], []);
        }
        // The local derivative from the engine itself, through the module's own function: LeakyReLU's slope, ELU's alpha.
        var local = LocalDerivative(activation.Forward, inputValue).ToDoubleArray();
        var upstream = outputValue.Grad!.ToDoubleArray();
        var g = inputGrad.ToDoubleArray();
        var terms = Enumerable.Range(0, g.Length)
            .Select(k => new ChainRuleTerm($"dC/d{input}[{k}]", $"dC/d{output}[{k}]", $"{name}'({input}[{k}])", [(upstream[k], local[k])], g[k]))
            .ToList();
        return new(title, [], terms);
    }
}

namespace Backprop.Explain;

/// <summary>
/// One gradient of a narrated backward pass, as the chain rule builds it: <see cref="Gradient"/> = Σ upstream · local over
/// <see cref="Products"/> (a single product, except where one value fed several outputs). <see cref="Value"/> is the
/// engine's own gradient, read from <see cref="Tensor.Grad"/>, not recomputed.
/// </summary>
/// <param name="Gradient">What the term is, such as <c>dC/dW2[0,1]</c>.</param>
/// <param name="Upstream">The upstream gradient's name, such as <c>dC/dz2[0]</c> (with <c>[k]</c> for a sum over k).</param>
/// <param name="Local">The local derivative's name, such as <c>a1[1]</c> or <c>sigmoid'(z0[1])</c>.</param>
/// <param name="Products">The numbers multiplied: (upstream, local) pairs, summed.</param>
/// <param name="Value">The engine's gradient.</param>
/// <param name="SumOver">What the sum runs over, written as it prints after Σ when there are several products: "ⱼ" for the
/// outputs j a value fed, "_(y,x)" for the positions a convolution's weight met.</param>
public sealed record ChainRuleTerm(string Gradient, string Upstream, string Local, IReadOnlyList<(double Upstream, double Local)> Products, double Value, string SumOver = "ⱼ")
{
    /// <summary>Σ upstream · local, which equals <see cref="Value"/> up to rounding.</summary>
    public double ChainRuleValue => Products.Sum(p => p.Upstream * p.Local);
}

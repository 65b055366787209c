using Backprop.Autograd;
using Backprop.Losses;

namespace Backprop.Tests;

/// <summary>The library example in README.md, line for line, with what it prints checked.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ArticleExampleInCode()
    {
        var console = new StringWriter();

        var w = Tensor.Scalar(0.8, DType.Float64);   // the weight, a leaf we want dC/dw for
        w.RequiresGrad = true;
        var i = Tensor.Scalar(1.5, DType.Float64);   // input
        var y = Tensor.Scalar(0.5, DType.Float64);   // desired output

        var a = i * w;                               // forward: a = i·w = 1.2
        var cost = Loss.Mse(a, y);                   // C = (a − y)² = 0.49
        cost.Backward();                             // chain rule: dC/dw = 2(a − y)·i = 2.1
        console.WriteLine(w.Grad);                   // tensor(2.1000, dtype=float64)
        using (new NoGrad()) w.AddInPlace(w.Grad!, alpha: -0.1);  // w₁ = w₀ − r·dC/dw
        console.WriteLine(w);                        // tensor(0.5900, dtype=float64, requires_grad=True)

        Assert.Equal("tensor(2.1000, dtype=float64)\ntensor(0.5900, dtype=float64, requires_grad=True)\n", console.ToString());
    }
}

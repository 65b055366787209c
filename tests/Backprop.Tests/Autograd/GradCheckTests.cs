using Backprop.Autograd;

namespace Backprop.Tests.Autograd;

public class GradCheckTests
{
    [Fact]
    public void WrongDerivativeIsCaught()
    {
        static Tensor WrongSquare(Tensor x)
        {
            Tensor y;
            using (new NoGrad()) y = x * x;
            return Graph.Record("wrong_square", y, [x], g => [g * x]); // should be 2x
        }
        var x = Tensor.FromArray([0.5, -1.0, 2.0]);
        x.RequiresGrad = true;

        var result = GradCheck.Check(t => WrongSquare(t[0]), [x]);

        Assert.False(result.Passed);
        Assert.StartsWith("gradcheck: d output[0] / d input 0[0]: autograd gives 0.5, central differences give 1", result.Message);
    }

    [Fact]
    public void RightDerivativePassesAndLeavesGradsAsTheyWere()
    {
        var x = Tensor.FromArray([0.5, -1.0, 2.0]);
        x.RequiresGrad = true;
        var result = GradCheck.Check(t => t[0] * t[0], [x]);
        Assert.True(result.Passed, result.Message);
        Assert.True(result.MaxAbsoluteError < 1e-8);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Float32InputsAreRefused()
    {
        var x = Tensor.FromArray([1f]);
        x.RequiresGrad = true;
        var e = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0] * 2, [x]));
        Assert.Equal("gradcheck: input 0 is Float32; gradient checks need Float64", e.Message);
    }
}

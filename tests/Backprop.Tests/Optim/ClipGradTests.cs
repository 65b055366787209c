using Backprop.Optim;

namespace Backprop.Tests.Optim;

/// <summary>
/// torch.nn.utils.clip_grad_norm_ on gradients [3, 4] and [[12]]: as one vector their 2-norm is √(9 + 16 + 144) = 13,
/// their 1-norm 19 and their ∞-norm 12; the gradients are scaled by max_norm / (norm + 10⁻⁶) when that is below 1.
/// </summary>
public class ClipGradTests
{
    private static (Tensor A, Tensor B) WithGradients()
    {
        var a = Tensor.FromArray([0.0, 0.0]);
        var b = Tensor.FromArray([0.0]).Reshape(1, 1);
        a.Grad = Tensor.FromArray([3.0, 4.0]);
        b.Grad = Tensor.FromArray([12.0]).Reshape(1, 1);
        return (a, b);
    }

    [Fact]
    public void ScalesEveryGradientByMaxNormOverTheTotalNorm()
    {
        var (a, b) = WithGradients();
        Assert.Equal(13, ClipGrad.Norm([a, b], maxNorm: 6.5), 12);
        double coefficient = 6.5 / (13 + 1e-6); // just under 1/2
        Assert.Equal([3 * coefficient, 4 * coefficient], a.Grad!.ToDoubleArray());
        Assert.Equal([12 * coefficient], b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void LeavesGradientsWithinTheNormAlone()
    {
        var (a, b) = WithGradients();
        // 13 / (13 + 10⁻⁶) < 1 would still shrink them: only a max norm above the total leaves them as they are.
        Assert.Equal(13, ClipGrad.Norm([a, b], maxNorm: 13.001), 12);
        Assert.Equal([3.0, 4.0], a.Grad!.ToDoubleArray());
        Assert.Equal([12.0], b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void TakesOtherNormsAndSkipsParametersWithoutAGradient()
    {
        var (a, b) = WithGradients();
        var noGradient = Tensor.FromArray([100.0]);
        Assert.Equal(19, ClipGrad.Norm([a, noGradient, b], maxNorm: 100, normType: 1), 12);
        Assert.Equal(12, ClipGrad.Norm([a, noGradient, b], maxNorm: 6, normType: double.PositiveInfinity));
        double coefficient = 6 / (12 + 1e-6);
        Assert.Equal([3 * coefficient, 4 * coefficient], a.Grad!.ToDoubleArray());
        Assert.Null(noGradient.Grad);
        Assert.Equal(0, ClipGrad.Norm([noGradient], maxNorm: 1));
    }

    [Fact]
    public void RejectsANegativeMaxNormOrNormType()
    {
        Assert.Equal("clip_grad_norm: max norm must be zero or positive, got -1", Assert.Throws<ArgumentException>(() => ClipGrad.Norm([], -1)).Message);
        Assert.Equal("clip_grad_norm: norm type must be positive or infinity, got 0", Assert.Throws<ArgumentException>(() => ClipGrad.Norm([], 1, 0)).Message);
    }
}

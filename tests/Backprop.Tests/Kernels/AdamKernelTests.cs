using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class AdamKernelTests
{
    /// <summary>
    /// The one-pass update against the same formula as separate tensor ops (how Adam computed it before the kernel), bit for
    /// bit, over a length that leaves a tail after the vector loop.
    /// </summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void MatchesTheUpdateWrittenAsTensorOps(DType dtype)
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8, SqrtBiasCorrection2 = 0.0447, StepSize = -0.0123;
        var g = new Generator(7);
        var gradient = Tensor.Uniform([37], -1, 1, g, dtype);
        var m = Tensor.Uniform([37], -0.1, 0.1, g, dtype);
        var v = Tensor.Uniform([37], 0, 0.01, g, dtype);
        var parameter = Tensor.Uniform([37], -1, 1, g, dtype);

        var (expectedM, expectedV, expectedParameter) = (m.Clone(), v.Clone(), parameter.Clone());
        expectedM.MulInPlace(Beta1);
        expectedM.AddInPlace(gradient, 1 - Beta1);
        expectedV.MulInPlace(Beta2);
        expectedV.AddInPlace(gradient * gradient, 1 - Beta2);
        expectedParameter.AddInPlace(expectedM / (expectedV.Sqrt() / SqrtBiasCorrection2 + Eps), StepSize);

        if (dtype == DType.Float32)
        {
            AdamKernel.Step(parameter.Span<float>(), gradient.Span<float>(), m.Span<float>(), v.Span<float>(),
                new AdamKernel.Coefficients<float>(Beta1, Beta2, SqrtBiasCorrection2, Eps, StepSize));
        }
        else
        {
            AdamKernel.Step(parameter.Span<double>(), gradient.Span<double>(), m.Span<double>(), v.Span<double>(),
                new AdamKernel.Coefficients<double>(Beta1, Beta2, SqrtBiasCorrection2, Eps, StepSize));
        }
        Assert.Equal(expectedM.ToDoubleArray(), m.ToDoubleArray());
        Assert.Equal(expectedV.ToDoubleArray(), v.ToDoubleArray());
        Assert.Equal(expectedParameter.ToDoubleArray(), parameter.ToDoubleArray());
    }
}

using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class VectorPathTests
{
    /// <summary>
    /// The environment variable with which CI states the path it forces (with the runtime's switch, see
    /// <see cref="VectorPath"/>) when it runs the suite on each path: if the switch stops working, as .NET 10's rename of
    /// DOTNET_EnableAVX512F did, this test fails instead of the suite running the default path again unnoticed.
    /// </summary>
    private const string ExpectedPath = "BACKPROP_EXPECTED_VECTOR_PATH";

    [Fact]
    public void TheKernelsTakeTheExpectedPath()
    {
        string? expected = Environment.GetEnvironmentVariable(ExpectedPath);
        if (expected is not null) Assert.Equal(expected, VectorPath.Name);
        Assert.Contains(VectorPath.Name, new[] { "Vector512", "Vector256", "Vector128", "scalar" });
        // The float32 GEMM takes its SIMD kernel on every vector path, and the portable loops only without SIMD.
        Assert.Equal(VectorPath.Name != "scalar", Sgemm.IsAccelerated);
    }
}

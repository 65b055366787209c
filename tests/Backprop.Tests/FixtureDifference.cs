namespace Backprop.Tests;

/// <summary>
/// Compares tensors against a PyTorch fixture's: passes while every |actual − expected| ≤ tolerance·max(1, |expected|)
/// (absolute for values up to 1, relative beyond, where float32 sums round in proportion to their size), or ≤ tolerance
/// when <paramref name="absolute"/>; keeps the largest difference seen and where it is, for the test's output and its
/// failure message.
/// </summary>
internal sealed class FixtureDifference(double tolerance, bool absolute = false)
{
    public double Difference { get; private set; }

    public string Where { get; private set; } = "nothing compared";

    public bool Passed { get; private set; } = true;

    public void Compare(string what, Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType == DType.Int64, actual.DType == DType.Int64);
        var a = actual.ToDoubleArray();
        var e = expected.ToDoubleArray();
        for (int i = 0; i < a.Length; i++)
        {
            double difference = Math.Abs(a[i] - e[i]);
            if (!(difference <= (absolute ? tolerance : tolerance * Math.Max(1, Math.Abs(e[i]))))) Passed = false;
            if (difference > Difference || double.IsNaN(difference) || Where == "nothing compared")
            {
                Difference = difference;
                Where = $"{what}[{i}] (expected {e[i]:G9}, got {a[i]:G9})";
            }
        }
    }

    /// <summary>A scalar against the fixture's float32.</summary>
    public void Compare(string what, double actual, float expected) => Compare(what, Tensor.Scalar((float)actual), Tensor.Scalar(expected));

    /// <summary>Fails with the largest difference and where it is, unless every comparison passed.</summary>
    public void AssertPassed() => Assert.True(Passed, $"{Where} differs from PyTorch's by {Difference:G3}");

    public override string ToString() => $"largest difference from PyTorch {Difference:G3} ({Where})";
}

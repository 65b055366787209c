namespace Backprop.Tests;

/// <summary>Small random inputs for tests: float64 leaves that require grad, with shapes and values drawn from a seeded generator.</summary>
internal static class TestData
{
    /// <summary>A random shape of the given rank, each dimension 1 to <paramref name="maxDim"/>.</summary>
    public static int[] RandomShape(Generator g, int rank, int maxDim = 4) =>
        [.. Enumerable.Range(0, rank).Select(_ => 1 + g.NextInt(maxDim))];

    /// <summary>A shape that broadcasts to <paramref name="shape"/>: some leading axes dropped, some others set to 1.</summary>
    public static int[] BroadcastableTo(Generator g, int[] shape)
    {
        var dims = shape.Skip(g.NextInt(shape.Length + 1)).ToArray();
        for (int i = 0; i < dims.Length; i++)
        {
            if (g.NextInt(2) == 0) dims[i] = 1;
        }
        return dims;
    }

    /// <summary>A leaf of uniform values in [low, high).</summary>
    public static Tensor Uniform(Generator g, int[] shape, double low = -1, double high = 1) =>
        Leaf(Tensor.Uniform(shape, low, high, g, DType.Float64));

    /// <summary>
    /// A leaf whose values keep at least <paramref name="gap"/> from each of <paramref name="kinks"/>: where a function
    /// has no derivative (relu at 0, clamp at its bounds), central differences straddling it would disagree with any rule.
    /// </summary>
    public static Tensor AwayFrom(Generator g, int[] shape, double[] kinks, double low = -1, double high = 1, double gap = 0.01)
    {
        var t = Tensor.Uniform(shape, low, high, g, DType.Float64);
        var values = t.Span<double>();
        for (int i = 0; i < values.Length; i++)
        {
            while (IsNear(values[i], kinks, gap)) values[i] = low + (high - low) * g.NextDouble();
        }
        return Leaf(t);
    }

    private static bool IsNear(double value, double[] points, double gap) => points.Any(p => Math.Abs(value - p) < gap);

    /// <summary>A leaf of values with magnitude in [0.5, 2] and random sign: safe denominators.</summary>
    public static Tensor NonZero(Generator g, int[] shape)
    {
        var t = Tensor.Uniform(shape, 0.5, 2, g, DType.Float64);
        var values = t.Span<double>();
        for (int i = 0; i < values.Length; i++) values[i] *= g.NextInt(2) == 0 ? -1 : 1;
        return Leaf(t);
    }

    /// <summary>Random class indices in [0, classes).</summary>
    public static int[] Classes(Generator g, int count, int classes) => [.. Enumerable.Range(0, count).Select(_ => g.NextInt(classes))];

    /// <summary>A float64 vector of <paramref name="values"/> that requires grad.</summary>
    public static Tensor Leaf(params double[] values) => Leaf(Tensor.FromArray(values));

    private static Tensor Leaf(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }
}

namespace Backprop.Tests.Kernels;

public class BroadcastLoopTests
{
    /// <summary>Compares a broadcast product with one computed index by index from the NumPy rule.</summary>
    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 1, 3, 1 })]
    [InlineData(new[] { 5, 1 }, new[] { 1, 6 })]
    [InlineData(new[] { 1 }, new[] { 2, 2 })]
    [InlineData(new[] { 3, 1, 2, 1 }, new[] { 4, 1, 5 })]
    public void MatchesElementByElementBroadcasting(int[] aShape, int[] bShape)
    {
        var g = new Generator(1);
        var a = Tensor.Uniform(aShape, -1, 1, g, DType.Float64);
        var b = Tensor.Uniform(bShape, -1, 1, g, DType.Float64);
        var product = a * b;
        var shape = product.Shape;
        var index = new int[shape.Rank];
        for (int flat = 0; flat < shape.NumElements; flat++)
        {
            for (int axis = shape.Rank - 1, rest = flat; axis >= 0; axis--)
            {
                index[axis] = rest % shape[axis];
                rest /= shape[axis];
            }
            double expected = a[Project(index, a.Shape)] * b[Project(index, b.Shape)];
            Assert.Equal(expected, product[index], 15);
        }
    }

    private static int[] Project(int[] index, Shape shape)
    {
        int shift = index.Length - shape.Rank;
        return [.. Enumerable.Range(0, shape.Rank).Select(axis => shape[axis] == 1 ? 0 : index[axis + shift])];
    }
}

namespace Backprop.Tests;

public class ShapeTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 1, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 5, 1 }, new[] { 4, 5, 3 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    public void BroadcastFollowsNumPyRules(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(new Shape(expected), Shape.Broadcast(a, b, "add"));
        Assert.Equal(new Shape(expected), Shape.Broadcast(b, a, "add"));
    }

    [Fact]
    public void IncompatibleShapesNameTheOpAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]) + Tensor.Zeros([4]));
        Assert.Equal("add: shapes [2,3] and [4] cannot be broadcast together", e.Message);
    }

    [Fact]
    public void CountsStridesAndPrinting()
    {
        Shape s = [2, 3, 4];
        Assert.Equal(24, s.NumElements);
        Assert.Equal(3, s.Rank);
        Assert.Equal(3, s.Count()); // as a collection, a shape holds its dimensions
        int[] spread = [5, .. s];   // spreading it sizes the array by the rank, not by the elements
        Assert.Equal([5, 2, 3, 4], spread);
        Assert.Equal([12, 4, 1], s.Strides());
        Assert.Equal(4, s[-1]);
        Assert.Equal("[2,3,4]", s.ToString());
        Assert.Equal("[]", Shape.Scalar.ToString());
        Assert.Equal(1, Shape.Scalar.NumElements);
    }

    [Fact]
    public void NegativeDimensionIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Equal("shape: dimension -1 is negative in [2,-1]", e.Message);
    }

    [Fact]
    public void AxisOutOfRangeNamesTheOp()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Sum(2));
        Assert.Equal("sum: axis 2 is out of range for shape [2,3]", e.Message);
    }
}

namespace Backprop.Tests;

public class TensorTests
{
    [Fact]
    public void FactoriesFillShapesAndDtypes()
    {
        var z = Tensor.Zeros([2, 3]);
        Assert.Equal(DType.Float32, z.DType);
        Assert.Equal(new Shape(2, 3), z.Shape);
        Assert.All(z.ToDoubleArray(), v => Assert.Equal(0, v));
        Assert.All(Tensor.Ones([4], DType.Float64).ToDoubleArray(), v => Assert.Equal(1, v));
        Assert.All(Tensor.Full([2, 2], 7.5).ToDoubleArray(), v => Assert.Equal(7.5, v));
        Assert.Equal(0, Tensor.Scalar(3).Rank);
        Assert.Equal(3, Tensor.Scalar(3).Item());
    }

    [Fact]
    public void ArangeMatchesTorch()
    {
        Assert.Equal([0, 1, 2, 3, 4], Tensor.Arange(0, 5).ToDoubleArray());
        Assert.Equal([1, 1.5, 2, 2.5], Tensor.Arange(1, 3, 0.5, DType.Float64).ToDoubleArray());
        Assert.Equal([3, 2, 1], Tensor.Arange(3, 0, -1).ToDoubleArray());
        Assert.Equal(0, Tensor.Arange(3, 0).Count);
        Assert.Equal("arange: step must be finite and non-zero, got 0", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 1, 0)).Message);
    }

    [Fact]
    public void FromArraysCopyAndIndexRowMajor()
    {
        var source = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var t = Tensor.FromArray(source);
        source[0, 0] = 99;
        Assert.Equal(1, t[0, 0]);
        Assert.Equal(6, t[1, 2]);
        Assert.Equal(5, t[-1, -2]);
        t[0, 1] = 20;
        Assert.Equal([1, 20, 3, 4, 5, 6], t.ToDoubleArray());
        Assert.Equal(new Shape(2, 3), Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).Shape);
    }

    [Fact]
    public void BadIndexSaysWhatIsWrong()
    {
        var t = Tensor.Zeros([2, 3]);
        Assert.Equal("index: a tensor of shape [2,3] takes 2 indices, got 1", Assert.Throws<ArgumentException>(() => t[0]).Message);
        Assert.Equal("index: 3 is out of range for axis 1 of size 3 in shape [2,3]", Assert.Throws<IndexOutOfRangeException>(() => t[0, 3]).Message);
        Assert.Equal("tensor: 5 values cannot fill shape [2,3] (6 elements)", Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], [2, 3])).Message);
    }

    [Fact]
    public void SeededRandomTensorsRepeat()
    {
        var a = Tensor.Randn([3, 3], new Generator(5));
        var b = Tensor.Randn([3, 3], new Generator(5));
        Assert.Equal(a.ToFloatArray(), b.ToFloatArray());
        var u = Tensor.Uniform([1000], -2, 3, new Generator(1), DType.Float64).ToDoubleArray();
        Assert.All(u, v => Assert.InRange(v, -2, 3));
        Assert.All(Tensor.Rand([1000], new Generator(2)).ToDoubleArray(), v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void ItemNeedsOneElement()
    {
        Assert.Equal(4, Tensor.FromArray([4f]).Item());
        Assert.Equal("Item: only a one-element tensor has an item, this one has shape [2]",
            Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2]).Item()).Message);
    }
}

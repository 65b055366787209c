using Backprop.Autograd;
using Backprop.Explain;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.Autograd;

/// <summary>The one walk that both the backward pass and the graph's picture (<see cref="ComputationGraph"/>) take.</summary>
public class GraphWalkTests
{
    [Fact]
    public void BackwardFollowsOnlyWhatNeedsAGradientThePictureEverything()
    {
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        var c = Tensor.FromArray([0.5, 0.5]); // a constant: no gradient flows to it
        var result = (a * b + c).Sum(0);

        var walk = new GraphWalk();
        Assert.True(walk.Run(result, gradientsOnly: true));
        Assert.Equal(5, walk.Order.Count);     // a, b, mul, add, sum
        Assert.Equal(4, walk.EdgeCount);       // a→mul, b→mul, mul→add, add→sum
        Assert.DoesNotContain(c, walk.Order);
        Assert.Same(result, walk.Order[^1]);

        var graph = ComputationGraph.Of(result);
        Assert.Equal(6, graph.Tensors.Count);  // and c
        Assert.Equal(5, graph.EdgeCount);      // and c→add
        Assert.Contains(c, graph.Tensors);
    }

    [Fact]
    public void InputsComeBeforeTheOpsThatReadThemAndATensorOnce()
    {
        var x = Leaf(2);
        var y = x * x + x; // x read three times, found once
        var walk = new GraphWalk();
        walk.Run(y, gradientsOnly: true);
        Assert.Equal(3, walk.Order.Count);
        Assert.Same(x, walk.Order[0]);
        Assert.Equal(4, walk.EdgeCount);       // x→mul twice, x→add, mul→add
    }

    [Fact]
    public void StopsAsSoonAsItFindsMoreThanTheLimit()
    {
        var y = Leaf(1);
        for (int i = 0; i < 30; i++) y = y * 2;
        Assert.False(new GraphWalk().Run(y, gradientsOnly: false, maxNodes: 10));
        Assert.True(new GraphWalk().Run(y, gradientsOnly: false, maxNodes: 61)); // 30 muls, their 30 constants and the leaf
    }
}

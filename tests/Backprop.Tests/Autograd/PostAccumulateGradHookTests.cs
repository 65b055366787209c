using Backprop.NN;

namespace Backprop.Tests.Autograd;

/// <summary>The hook data-parallel training starts its all-reduces from: a leaf's gradient is final when it runs.</summary>
public class PostAccumulateGradHookTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)] // zeroed buffers, which the linear layer's rule writes into directly
    public void RunsOncePerPass_WithTheFinalGradient_LastLayerFirst(bool setToNone)
    {
        var model = new Sequential(new Linear(3, 4, generator: new Generator(1)), new Tanh(), new Linear(4, 2, generator: new Generator(2)));
        var calls = new List<(string Name, float[] Grad)>();
        foreach (var (name, parameter) in model.NamedParameters())
        {
            parameter.RegisterPostAccumulateGradHook(p => calls.Add((name, p.Grad!.ToFloatArray())));
        }
        var x = Tensor.FromArray([0.5f, -1, 2, 1, 0, -0.5f], [2, 3]);
        for (int pass = 0; pass < 2; pass++)
        {
            calls.Clear();
            model.ZeroGrad();
            foreach (var p in model.Parameters()) p.ZeroGrad(setToNone);
            var y = model.Forward(x);
            (y * y).Sum().Backward();
            Assert.Equal(4, calls.Count);
            Assert.Equal(["2.bias", "2.weight"], calls.Take(2).Select(c => c.Name).Order());
            Assert.Equal(["0.bias", "0.weight"], calls.Skip(2).Select(c => c.Name).Order());
            var parameters = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
            Assert.All(calls, c => Assert.Equal(parameters[c.Name].Grad!.ToFloatArray(), c.Grad));
        }
    }

    [Fact]
    public void ADisposedHandle_RemovesTheHook()
    {
        var w = Tensor.FromArray([1f, 2]);
        w.RequiresGrad = true;
        int calls = 0;
        var handle = w.RegisterPostAccumulateGradHook(_ => calls++);
        (w * w).Sum().Backward();
        handle.Dispose();
        (w * w).Sum().Backward();
        Assert.Equal(1, calls);
    }

    [Fact]
    public void OnlyLeavesThatRequireGradTakeOne() =>
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray([1f]).RegisterPostAccumulateGradHook(_ => { }));
}

using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Tests;

public class TensorScopeTests
{
    [Fact]
    public void TensorsMadeInAScopeAreReleasedAtItsEndUnlessKept()
    {
        var outside = Tensor.FromArray([1f, 2f]);
        Tensor inside, kept, view;
        using (var scope = new TensorScope())
        {
            inside = outside * 2;
            kept = scope.Keep(outside + 1);
            view = scope.Keep(inside.Reshape(2, 1)); // keeping a view keeps what it views
        }
        Assert.False(outside.IsReleased);
        Assert.False(kept.IsReleased);
        Assert.Equal([2f, 3f], kept.ToFloatArray());
        Assert.Equal([2f, 4f], view.ToFloatArray());
        Assert.False(inside.IsReleased);

        Tensor lost;
        using (new TensorScope()) lost = outside * 3;
        Assert.True(lost.IsReleased);
        var e = Assert.Throws<InvalidOperationException>(() => lost.ToFloatArray());
        Assert.StartsWith("tensor: its values were released when the TensorScope that made it ended", e.Message);
    }

    [Fact]
    public void ReleasedMemoryIsReusedForTheNextTensorOfThatSize()
    {
        var x = Tensor.Rand([37, 11], new Generator(1));
        Array first;
        using (new TensorScope()) first = (x * 2).Storage;
        using (new TensorScope())
        {
            var again = x * 3;
            Assert.Same(first, again.Storage);
            Assert.Equal(x.ToFloatArray().Select(v => v * 3), again.ToFloatArray());
            Assert.All(Tensor.Zeros([37, 11]).ToFloatArray(), v => Assert.Equal(0f, v)); // pooled memory is cleared for zeros
        }
    }

    [Fact]
    public void KeptTensorsPassToTheEnclosingScope()
    {
        Tensor kept;
        using (new TensorScope())
        {
            using (var inner = new TensorScope()) kept = inner.Keep(Tensor.Ones([3]) * 2);
            Assert.False(kept.IsReleased);
        }
        Assert.True(kept.IsReleased);
    }

    [Fact]
    public void AScopeAfterAnEndedOneTracksOnlyItsOwnTensors()
    {
        Tensor first, second;
        var ended = new TensorScope();
        first = Tensor.Ones([2]) * 2;
        ended.Dispose();
        using (var scope = new TensorScope())
        {
            second = scope.Keep(Tensor.Ones([2]) * 3); // the new scope reuses the ended one's collections, emptied
            Assert.Throws<InvalidOperationException>(() => ended.Keep(second));
        }
        Assert.True(first.IsReleased);
        Assert.Equal([3f, 3f], second.ToFloatArray());
    }

    [Fact]
    public void SuspendedScopeMakesLastingTensors()
    {
        Tensor lasting;
        using (new TensorScope())
        {
            using (TensorScope.Suspend()) lasting = Tensor.Ones([2]) * 5;
        }
        Assert.Equal([5f, 5f], lasting.ToFloatArray());
    }

    [Fact]
    public void TrainingInScopesMatchesTrainingWithout()
    {
        float[] Train(bool scoped)
        {
            var model = new Sequential(new Linear(3, 5, generator: new Generator(1)), new Tanh(), new Linear(5, 2, generator: new Generator(2)));
            var adam = new Adam(model.Parameters(), 0.05);
            var x = Tensor.Rand([8, 3], new Generator(3));
            int[] y = [0, 1, 1, 0, 1, 0, 0, 1];
            for (int step = 0; step < 5; step++)
            {
                using var scope = scoped ? new TensorScope() : null;
                adam.ZeroGrad(setToNone: !scoped);
                Loss.CrossEntropy(model.Forward(x), y).Backward();
                adam.Step();
            }
            Assert.All(model.Parameters(), p => Assert.False(p.Grad!.IsReleased));
            return model.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        }
        Assert.Equal(Train(scoped: false), Train(scoped: true));
    }

    [Fact]
    public void GradientsAccumulateInPlaceIntoAnExistingBuffer()
    {
        var w = Tensor.FromArray([1.0, 2.0]);
        w.RequiresGrad = true;
        (w * 3).Sum().Backward();
        var buffer = w.Grad!;
        w.ZeroGrad(setToNone: false);
        Assert.Same(buffer, w.Grad);
        Assert.Equal([0.0, 0.0], buffer.ToDoubleArray());
        (w * 4).Sum().Backward();
        Assert.Same(buffer, w.Grad);
        Assert.Equal([4.0, 4.0], buffer.ToDoubleArray());
    }

    [Fact]
    public void ZeroedGradientIsOverwrittenByTheNextBackward()
    {
        var w = Tensor.FromArray([1.0, 2.0]);
        w.RequiresGrad = true;
        (w * 3).Sum().Backward();
        var buffer = w.Grad!;
        w.ZeroGrad(setToNone: false);
        (w * 5).Sum().Backward(); // no read in between: the buffer is overwritten, not added to
        Assert.Same(buffer, w.Grad);
        Assert.Equal([5.0, 5.0], buffer.ToDoubleArray());
        (w * 1).Sum().Backward(); // and accumulates as usual afterwards
        Assert.Equal([6.0, 6.0], w.Grad!.ToDoubleArray());
    }
}

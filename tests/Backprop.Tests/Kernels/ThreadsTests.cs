using Backprop.Kernels;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Tests.Kernels;

/// <summary>The library's threads: any count gives the same numbers, bit for bit.</summary>
public class ThreadsTests
{
    [Fact]
    public void AConvNetTrainsToTheSameWeightsWithOneTwoThreeAndEightThreads()
    {
        static float[] Train(int threads)
        {
            float[] weights = [];
            ThreadSettings.With(threads, () =>
            {
                var g = new Generator(11);
                var model = Architecture.Parse("Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), Linear(400, 10)").Build(g);
                var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9);
                var x = Tensor.Randn([16, 1, 28, 28], g);
                var y = Tensor.FromArray(Enumerable.Range(0, 16).Select(i => (long)(i % 10)).ToArray());
                for (int step = 0; step < 3; step++)
                {
                    optimizer.ZeroGrad();
                    Loss.CrossEntropy(model.Forward(x), y).Backward();
                    optimizer.Step();
                }
                weights = [.. model.Parameters().SelectMany(p => p.ToFloatArray())];
            });
            return weights;
        }

        var one = Train(1);
        foreach (int threads in new[] { 2, 3, 8 }) Assert.Equal(one, Train(threads));
        Assert.True(WorkerPool.Started >= 7, $"{WorkerPool.Started} workers started for 8 threads");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ACountBelowOneIsRefused(int count)
    {
        var error = Assert.Throws<ArgumentException>(() => Threads.Count = count);
        Assert.Equal($"threads: the count must be at least 1, got {count}", error.Message);
    }

    [Fact]
    public void AJobStartedInsideAnotherRunsOnItsCallersThread()
    {
        var nested = new NestedWork();
        ThreadSettings.With(4, () => WorkerPool.Run(nested, 4));
        Assert.Equal(16, nested.Inner.Count);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => Enumerable.Range(0, 4)).Order(), nested.Inner.Order());
    }

    private sealed class NestedWork : IParallelWork
    {
        public System.Collections.Concurrent.ConcurrentBag<int> Inner { get; } = [];

        public void Run(int part) => WorkerPool.Run(new Recording(Inner), 4);
    }

    private sealed class Recording(System.Collections.Concurrent.ConcurrentBag<int> parts) : IParallelWork
    {
        public void Run(int part) => parts.Add(part);
    }
}

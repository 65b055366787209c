using Backprop.Kernels;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Tests.Kernels;

/// <summary>The library's threads: any count gives the same numbers, bit for bit.</summary>
[Collection(WorkerThreadsCollection.Name)]
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

    // A fresh copy of the library (its own statics, in its own load context): loading it and working below the sharing
    // threshold starts no thread; the first large product starts the workers.
    [Fact]
    public void LoadingTheLibraryStartsNoThread()
    {
        var context = new System.Runtime.Loader.AssemblyLoadContext("fresh Backprop", isCollectible: true);
        try
        {
            var library = context.LoadFromAssemblyPath(typeof(Tensor).Assembly.Location);
            var pool = library.GetType("Backprop.Kernels.WorkerPool")!;
            int Started() => (int)pool.GetProperty("Started", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
            var threads = library.GetType("Backprop.Threads")!.GetProperty("Count")!;
            var tensor = library.GetType("Backprop.Tensor")!;
            var ones = tensor.GetMethods().Single(m => m.Name == "Ones" && m.GetParameters().Length == 2);
            var shape = library.GetType("Backprop.Shape")!;
            var toShape = shape.GetMethod("op_Implicit", [typeof(int[])])!;
            object Ones(int rows, int columns) => ones.Invoke(null, [toShape.Invoke(null, [new[] { rows, columns }]), Enum.ToObject(library.GetType("Backprop.DType")!, 0)])!;
            var matMul = library.GetTypes().SelectMany(t => t.GetMethods()).First(m => m.Name == "MatMul" && m.GetParameters().Length == 2);

            threads.SetValue(null, 4);
            matMul.Invoke(null, [Ones(8, 8), Ones(8, 8)]);
            Assert.Equal(0, Started());
            matMul.Invoke(null, [Ones(256, 256), Ones(256, 256)]); // 16.8 million multiply-adds: shared
            // ... by the SIMD kernel; the portable loops of the scalar path (no SIMD at all) stay on the caller's thread.
            Assert.Equal(Sgemm.IsAccelerated ? 3 : 0, Started());
        }
        finally
        {
            context.Unload();
        }
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

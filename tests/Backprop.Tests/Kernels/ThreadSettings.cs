using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>Runs code with a given thread count and every product shared between threads, then restores both.</summary>
internal static class ThreadSettings
{
    private static readonly Lock Gate = new();

    public static void With(int threads, Action action)
    {
        lock (Gate) // tests of different classes run in parallel: one thread-count change at a time
        {
            int count = Threads.Count;
            long threshold = Sgemm.ParallelThreshold;
            try
            {
                Threads.Count = threads;
                Sgemm.ParallelThreshold = 1;
                action();
            }
            finally
            {
                Threads.Count = count;
                Sgemm.ParallelThreshold = threshold;
            }
        }
    }
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Backprop.Kernels;

/// <summary>
/// The library's worker threads: <see cref="Run"/> hands the parts of a job to the calling thread and up to
/// <see cref="Threads.Count"/> − 1 workers, which take them one at a time until none is left. Workers start on the first
/// job that wants them. After a job each keeps polling for the next for <see cref="SpinTime"/> before it sleeps, as
/// OpenMP's do: a training step issues its products tens of microseconds apart, and waking a sleeping thread costs about
/// as much again each time (measured 20–30 µs on this project's machine). Idle programs still sleep.
/// </summary>
internal static class WorkerPool
{
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(1);
    private static readonly Lock Busy = new();
    private static readonly List<Worker> workers = [];

    // The job in progress: its parts, the next part to take, the parts not yet done, and the workers still inside it.
    private static IParallelWork? job;
    private static int parts, next, pending, active;
    private static Exception? failure;

    /// <summary>The workers started so far (none until a job first wants one).</summary>
    internal static int Started => workers.Count;

    /// <summary>
    /// Runs parts 0 to <paramref name="partCount"/> − 1 of <paramref name="work"/> and returns when all are done. A job
    /// started from inside another (or while another thread runs one) runs on the calling thread alone.
    /// </summary>
    public static void Run(IParallelWork work, int partCount)
    {
        int helpers = Math.Min(Threads.Count, partCount) - 1;
        // Lock is reentrant: the thread running a job must not start another over it.
        if (helpers <= 0 || Busy.IsHeldByCurrentThread || !Busy.TryEnter())
        {
            for (int i = 0; i < partCount; i++) work.Run(i);
            return;
        }
        try
        {
            while (workers.Count < helpers) workers.Add(new Worker(workers.Count));
            job = work;
            parts = partCount;
            next = 0;
            pending = partCount;
            failure = null;
            Volatile.Write(ref active, helpers);
            for (int w = 0; w < helpers; w++) workers[w].Post();
            TakeParts();
            // The parts take about equally long: wait by spinning, never by sleeping a scheduler tick. Waiting for the
            // workers to leave too, so that none reaches into the next job's fields.
            var spinner = new SpinWait();
            while (Volatile.Read(ref pending) > 0 || Volatile.Read(ref active) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            job = null;
            Busy.Exit();
        }
    }

    /// <summary>Takes and runs parts until none is left (on the calling thread and on each worker).</summary>
    private static void TakeParts()
    {
        int part;
        while ((part = Interlocked.Increment(ref next) - 1) < parts)
        {
            try { job!.Run(part); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
            Interlocked.Decrement(ref pending);
        }
    }

    private sealed class Worker
    {
        private const int Idle = 0, Posted = 1, Sleeping = 2;
        private readonly SemaphoreSlim wake = new(0, 1);
        private int state = Idle;

        public Worker(int index) => new Thread(Loop) { IsBackground = true, Name = $"Backprop worker {index + 1}" }.Start();

        public void Post()
        {
            if (Interlocked.Exchange(ref state, Posted) == Sleeping) wake.Release();
        }

        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                Volatile.Write(ref state, Idle);
                TakeParts();
                Interlocked.Decrement(ref active);
            }
        }

        /// <summary>Polls for a posted job for <see cref="SpinTime"/>, then sleeps until one is posted.</summary>
        private void WaitForWork()
        {
            long deadline = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
            var spinner = new SpinWait();
            while (Volatile.Read(ref state) != Posted)
            {
                if (Stopwatch.GetTimestamp() > deadline && Interlocked.CompareExchange(ref state, Sleeping, Idle) == Idle)
                {
                    wake.Wait(); // released by the next Post, which has set the state to Posted
                    return;
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }
}

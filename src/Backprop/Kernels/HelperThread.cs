using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Backprop.Kernels;

/// <summary>
/// One persistent second thread for the two halves of a large product: the caller runs one half while the helper runs
/// the other. After a job the helper keeps polling for the next one for <see cref="SpinTime"/> before it sleeps, as
/// OpenMP's worker threads do: a training step issues its products tens of microseconds apart, and waking a sleeping
/// thread costs about as much again each time (measured 20–30 µs on this project's machine). Idle programs still sleep.
/// </summary>
internal static class HelperThread
{
    private const int Idle = 0, Posted = 1, Sleeping = 2;
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(1);
    private static readonly SemaphoreSlim Wake = new(0, 1);
    private static readonly Lock Busy = new();
    private static Action? work;
    private static Exception? failure;
    private static int state = Idle;
    private static volatile bool finished;

    static HelperThread() => new Thread(Loop) { IsBackground = true, Name = "Backprop helper" }.Start();

    /// <summary>
    /// Runs <paramref name="helperWork"/> on the helper thread and <paramref name="ownWork"/> on this one, and returns when
    /// both are done. When the helper is already busy (a product started from inside another), runs both here.
    /// </summary>
    public static void RunPair(Action helperWork, Action ownWork)
    {
        if (!Busy.TryEnter())
        {
            helperWork();
            ownWork();
            return;
        }
        try
        {
            work = helperWork;
            failure = null;
            finished = false;
            if (Interlocked.Exchange(ref state, Posted) == Sleeping) Wake.Release();
            try
            {
                ownWork();
            }
            finally
            {
                // The halves take about equally long: wait by spinning, never by sleeping a scheduler tick.
                var spinner = new SpinWait();
                while (!finished) spinner.SpinOnce(sleep1Threshold: -1);
            }
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Busy.Exit();
        }
    }

    private static void Loop()
    {
        while (true)
        {
            WaitForWork();
            try { work!(); }
            catch (Exception e) { failure = e; }
            Volatile.Write(ref state, Idle);
            finished = true;
        }
    }

    /// <summary>Polls for a posted job for <see cref="SpinTime"/>, then sleeps until one is posted.</summary>
    private static void WaitForWork()
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
        var spinner = new SpinWait();
        while (Volatile.Read(ref state) != Posted)
        {
            if (Stopwatch.GetTimestamp() > deadline && Interlocked.CompareExchange(ref state, Sleeping, Idle) == Idle)
            {
                Wake.Wait(); // released by the next RunPair, which has set the state to Posted
                return;
            }
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}

using System.Runtime.ExceptionServices;

namespace Backprop.Kernels;

/// <summary>
/// One long-lived worker thread that a kernel hands half of its work to while it does the other half itself: the two
/// cores this library targets, with no thread-pool scheduling and no allocation per call. If another thread is already
/// using the helper, the caller simply does both halves.
/// </summary>
internal static class HelperThread
{
    private static readonly SemaphoreSlim Go = new(0, 1);
    private static readonly SemaphoreSlim Finished = new(0, 1);
    private static readonly Lock Busy = new();
    private static Action? work;
    private static Exception? failure;

    static HelperThread() => new Thread(Loop) { IsBackground = true, Name = "Backprop helper" }.Start();

    /// <summary>Runs <paramref name="helperWork"/> on the helper and <paramref name="ownWork"/> here; returns when both are done.</summary>
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
            Go.Release();
            try
            {
                ownWork();
            }
            finally
            {
                Finished.Wait();
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
            Go.Wait();
            try { work!(); }
            catch (Exception e) { failure = e; }
            Finished.Release();
        }
    }
}

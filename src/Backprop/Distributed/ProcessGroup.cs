using System.Diagnostics;

namespace Backprop.Distributed;

/// <summary>
/// The processes of one MPI job (<c>mpirun -np N</c>) and the collectives data-parallel training needs, over Open MPI
/// (PyTorch's <c>ProcessGroup</c> with an MPI backend): broadcast, sum all-reduce (blocking or started and waited on),
/// barrier. Every collective must be called by every rank, in the same order. None waits forever: a collective that has
/// not completed within <see cref="Timeout"/> (a rank died or stopped taking part) aborts the whole job with a message
/// naming this rank and the operation. MPI can be initialised once per process: make one group, and dispose of it
/// (<c>MPI_Finalize</c>) at the end of the program.
/// </summary>
public sealed unsafe class ProcessGroup : IDisposable
{
    private static readonly Lock InitLock = new();
    private static bool initialized;
    private readonly MpiLibrary mpi;
    private bool disposed;

    private ProcessGroup(MpiLibrary mpi, TimeSpan timeout)
    {
        this.mpi = mpi;
        Timeout = timeout;
        int rank, size;
        Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        WorldSize = size;
    }

    /// <summary>How long a collective may take before the job is aborted (60 s by default).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>This process's index in the job, from 0; rank 0 is the one that writes files and reports.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job (1 for a program started without <c>mpirun</c>).</summary>
    public int WorldSize { get; }

    /// <summary>
    /// How many processes Open MPI's <c>mpirun</c> started this one among (its environment's OMPI_COMM_WORLD_SIZE), read
    /// without loading MPI; null when mpirun did not start it.
    /// </summary>
    public static int? MpirunWorldSize =>
        int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"), System.Globalization.CultureInfo.InvariantCulture, out int size) ? size : null;

    /// <summary>
    /// Initialises MPI (loading Open MPI's <c>libmpi.so.40</c> now, not before) and returns the group of every process in
    /// the job. Collectives that have not completed within <paramref name="timeout"/> (60 s when null) abort the job.
    /// Throws <see cref="DllNotFoundException"/> with a one-line message when Open MPI is not installed.
    /// </summary>
    public static ProcessGroup Initialize(TimeSpan? timeout = null) => Initialize(timeout, MpiLibrary.DefaultName);

    /// <summary><see cref="Initialize(TimeSpan?)"/> from the library <paramref name="libraryName"/> (a seam for tests).</summary>
    internal static ProcessGroup Initialize(TimeSpan? timeout, string libraryName)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(60);
        if (wait <= TimeSpan.Zero) throw new ArgumentException($"process group: the timeout must be positive, got {wait}");
        lock (InitLock)
        {
            if (initialized) throw new InvalidOperationException("process group: MPI can be initialised once per process, and it already was");
            var mpi = MpiLibrary.Load(libraryName);
            int provided;
            Check(mpi.InitThread(null, null, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
            initialized = true;
            return new ProcessGroup(mpi, wait);
        }
    }

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="values"/> into every other rank's (float, double or long).</summary>
    public void Broadcast<T>(Span<T> values, int root = 0) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if ((uint)root >= (uint)WorldSize) throw new ArgumentOutOfRangeException(nameof(root), $"process group: root {root} is not a rank of {WorldSize}");
        fixed (T* buffer = values)
        {
            nint request;
            Check(mpi.Ibcast(buffer, values.Length, mpi.Datatype<T>(), root, mpi.CommWorld, &request), "MPI_Ibcast");
            Wait(ref request, $"broadcast of {values.Length} values from rank {root}");
        }
    }

    /// <summary>Replaces <paramref name="values"/> on every rank by their sum over all ranks, element by element.</summary>
    public void AllReduce<T>(Span<T> values) where T : unmanaged
    {
        fixed (T* buffer = values)
        {
            nint request = StartAllReducePinned(buffer, values.Length);
            Wait(ref request, AllReduceName(values.Length));
        }
    }

    /// <summary>
    /// Starts summing <paramref name="values"/> over all ranks in place and returns at once; the buffer is pinned and must
    /// not be touched until the returned request has completed (<see cref="CollectiveRequest.Wait"/>).
    /// </summary>
    public CollectiveRequest StartAllReduce<T>(Memory<T> values) where T : unmanaged
    {
        var pin = values.Pin();
        try
        {
            return new CollectiveRequest(this, AllReduceName(values.Length), StartAllReducePinned((T*)pin.Pointer, values.Length), pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>Returns once every rank has called it.</summary>
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        nint request;
        Check(mpi.Ibarrier(mpi.CommWorld, &request), "MPI_Ibarrier");
        Wait(ref request, "barrier");
    }

    /// <summary>
    /// Ends the whole job at once (<c>MPI_Abort</c>): <paramref name="message"/>, prefixed with this rank, goes to standard
    /// error, and Open MPI stops every rank. Does not return.
    /// </summary>
    public void Abort(string message)
    {
        Console.Error.WriteLine($"rank {Rank} of {WorldSize}: {message}");
        Console.Error.Flush();
        mpi.Abort(mpi.CommWorld, 1);
        Environment.Exit(1); // MPI_Abort does not return; should it, this process ends all the same
    }

    /// <summary>Finalises MPI (<c>MPI_Finalize</c>, which every rank calls); no collective can run afterwards.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Check(mpi.Finalize(), "MPI_Finalize");
    }

    /// <summary>Lets MPI advance <paramref name="request"/>; true (and the request freed) once it has completed.</summary>
    internal bool Test(ref nint request, string operation)
    {
        int done;
        fixed (nint* handle = &request) Check(mpi.Test(handle, &done, null), $"MPI_Test ({operation})");
        return done != 0;
    }

    /// <summary>Polls <paramref name="request"/> until it completes; past <see cref="Timeout"/> the job is aborted.</summary>
    internal void Wait(ref nint request, string operation)
    {
        long start = Stopwatch.GetTimestamp();
        for (int polls = 0; !Test(ref request, operation); polls++)
        {
            if (Stopwatch.GetElapsedTime(start) > Timeout)
            {
                Abort($"{operation} did not complete within {Timeout.TotalSeconds:0.#} s: another rank has died or stopped taking part; aborting the job");
            }
            // Yield the core to the other ranks on an oversubscribed machine; after a while, sleep so a long wait costs no CPU.
            if (polls < 10_000) Thread.Yield();
            else Thread.Sleep(1);
        }
    }

    private nint StartAllReducePinned<T>(T* buffer, int count) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        nint request;
        Check(mpi.Iallreduce(MpiLibrary.InPlace, buffer, count, mpi.Datatype<T>(), mpi.Sum, mpi.CommWorld, &request), "MPI_Iallreduce");
        return request;
    }

    private static string AllReduceName(int count) => $"all-reduce of {count} values";

    private static void Check(int code, string function)
    {
        // Open MPI's default error handler aborts the job on an error; a code comes back only if that was changed.
        if (code != 0) throw new InvalidOperationException($"process group: {function} failed with MPI error {code}");
    }
}

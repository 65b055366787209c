using System.Runtime.InteropServices;

namespace Backprop.Distributed;

/// <summary>
/// The few entry points of Open MPI's <c>libmpi.so.40</c> that a process group uses, bound at run time: the library is
/// loaded only when a process group is made, so that nothing else in Backprop needs a native library. The functions are
/// read as unmanaged function pointers from the library's exports (no <c>DllImport</c> whose name the runtime would resolve
/// on its own), and Open MPI's predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>) are, as its
/// <c>mpi.h</c> defines them, the addresses of exported globals (<c>ompi_mpi_comm_world</c>…). Debian's Open MPI 4.1.4
/// loads its plugins without the library being opened with RTLD_GLOBAL (checked: MPI_Init succeeds with RTLD_LOCAL).
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The library's file name (its soname in Open MPI 4.x).</summary>
    public const string DefaultName = "libmpi.so.40";

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call MPI, one at a time (a trainer's thread need not be the main one).</summary>
    public const int ThreadSerialized = 2;

    /// <summary>Open MPI's MPI_IN_PLACE, <c>(void*)1</c>: the send buffer is the receive buffer.</summary>
    public static readonly nint InPlace = 1;

    public readonly delegate* unmanaged<int*, nint*, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int, int> Abort;
    public readonly delegate* unmanaged<nint, int*, int> CommRank;
    public readonly delegate* unmanaged<nint, int*, int> CommSize;
    public readonly delegate* unmanaged<void*, int, nint, int, nint, nint*, int> Ibcast;
    public readonly delegate* unmanaged<nint, void*, int, nint, nint, nint, nint*, int> Iallreduce;
    public readonly delegate* unmanaged<nint, nint*, int> Ibarrier;
    public readonly delegate* unmanaged<nint*, int*, void*, int> Test;

    public readonly nint CommWorld, Float, Double, Int64, Sum;

    private MpiLibrary(nint library)
    {
        nint Export(string name) => NativeLibrary.GetExport(library, name);
        InitThread = (delegate* unmanaged<int*, nint*, int, int*, int>)Export("MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        Ibcast = (delegate* unmanaged<void*, int, nint, int, nint, nint*, int>)Export("MPI_Ibcast");
        Iallreduce = (delegate* unmanaged<nint, void*, int, nint, nint, nint, nint*, int>)Export("MPI_Iallreduce");
        Ibarrier = (delegate* unmanaged<nint, nint*, int>)Export("MPI_Ibarrier");
        Test = (delegate* unmanaged<nint*, int*, void*, int>)Export("MPI_Test");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int64 = Export("ompi_mpi_int64_t");
        Sum = Export("ompi_mpi_op_sum");
    }

    /// <summary>
    /// Loads <paramref name="name"/>; where it cannot be loaded, a <see cref="DllNotFoundException"/> whose one-line message
    /// names the fix. <paramref name="name"/> is a seam for the test of that message.
    /// </summary>
    public static MpiLibrary Load(string name = DefaultName)
    {
        if (!NativeLibrary.TryLoad(name, out var library))
        {
            throw new DllNotFoundException($"distributed training needs Open MPI's {name}, which could not be loaded: install openmpi-bin (apt-get install openmpi-bin)");
        }
        try
        {
            return new MpiLibrary(library);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new DllNotFoundException($"{name} is not Open MPI 4.x ({e.Message}): install openmpi-bin (apt-get install openmpi-bin)", e);
        }
    }

    /// <summary>The MPI datatype handle of <typeparamref name="T"/>: float32, float64 or int64.</summary>
    public nint Datatype<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? Float
        : typeof(T) == typeof(double) ? Double
        : typeof(T) == typeof(long) ? Int64
        : throw new NotSupportedException($"process group: {typeof(T).Name} values cannot be communicated (float, double and long can)");
}

using System.Buffers;

namespace Backprop.Distributed;

/// <summary>
/// A collective operation started by <see cref="ProcessGroup.StartAllReduce{T}"/> and still running (PyTorch's
/// <c>Work</c>): its buffer stays pinned until it completes. Open MPI advances a non-blocking collective only inside MPI
/// calls, so a caller that overlaps it with computation calls <see cref="Test"/> now and then; <see cref="Wait"/> blocks
/// until it is done, within the group's timeout.
/// </summary>
public sealed class CollectiveRequest
{
    private readonly ProcessGroup group;
    private readonly string operation;
    private nint request;
    private MemoryHandle pin;

    internal CollectiveRequest(ProcessGroup group, string operation, nint request, MemoryHandle pin)
    {
        this.group = group;
        this.operation = operation;
        this.request = request;
        this.pin = pin;
    }

    /// <summary>True once the operation has completed (the buffer holds the result and is unpinned).</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Lets MPI advance the operation; returns true when it has completed.</summary>
    public bool Test()
    {
        if (!IsCompleted && group.Test(ref request, operation)) Complete();
        return IsCompleted;
    }

    /// <summary>
    /// Waits until the operation completes. Past the group's <see cref="ProcessGroup.Timeout"/> (a rank died or stopped
    /// taking part) the whole job is aborted with a message naming this rank and the operation.
    /// </summary>
    public void Wait()
    {
        if (IsCompleted) return;
        group.Wait(ref request, operation);
        Complete();
    }

    private void Complete()
    {
        pin.Dispose();
        IsCompleted = true;
    }
}

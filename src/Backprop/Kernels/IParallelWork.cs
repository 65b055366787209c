namespace Backprop.Kernels;

/// <summary>Work split into numbered parts that may run on different threads in any order (see <see cref="WorkerPool"/>).</summary>
internal interface IParallelWork
{
    /// <summary>Does part <paramref name="part"/>; parts write to disjoint memory.</summary>
    void Run(int part);
}

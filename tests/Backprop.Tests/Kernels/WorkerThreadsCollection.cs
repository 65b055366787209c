namespace Backprop.Tests.Kernels;

/// <summary>
/// Tests that count the library's worker threads run alone: while another test's job holds the pool, a job runs inline
/// on its caller, and no worker would start.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerThreadsCollection
{
    public const string Name = "Worker threads";
}

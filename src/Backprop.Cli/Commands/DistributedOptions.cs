using System.CommandLine;
using Backprop.Distributed;

namespace Backprop.Cli;

/// <summary>
/// <c>train --distributed</c>: this process is one rank of an Open MPI job (<c>mpirun -np N backprop train …</c>), and the
/// ranks train one model data-parallel, each on its share of every epoch with its own <c>--batch-size</c> batches.
/// </summary>
internal sealed class DistributedOptions
{
    public Option<bool> Distributed { get; } = new("--distributed")
    {
        Description = "Train data-parallel with the other processes of an mpirun job (Open MPI): --batch-size is each process's batch; rank 0 prints and writes the files",
    };

    public void AddTo(Command command) => command.Options.Add(Distributed);

    /// <summary>
    /// The job's process group with <c>--distributed</c>, or null. A process that mpirun started as one of several without
    /// the option is refused: each would train alone and write the same files.
    /// </summary>
    public ProcessGroup? Start(ParseResult parsed)
    {
        if (parsed.GetValue(Distributed)) return ProcessGroup.Initialize();
        if (ProcessGroup.MpirunWorldSize is > 1 and var size)
        {
            throw new ArgumentException($"mpirun started this as one of {size} processes: add {Distributed.Name} to train together (alone, each would train and write the same files)");
        }
        return null;
    }
}

using Compare;

// Backprop against libtorch (TorchSharp-cpu 0.107.0) on the same machine.
// - bench/run-compare.sh [profile] [RUNS]: the MLPs, both libraries in this one process (see OneProcess).
// - bench/run-separate-compare.sh [ROUNDS] [STEPS] [WARMUP]: each library in a process of its own, alternating:
//   `--side backprop|torch --workload NAME ...` runs one (see SideRun), `--summarize FILE` prints the tables (see Summary),
//   `--list GROUP|NAME...` names the workloads a run makes, one a line with how it is sized (steps, epochs, or peak).
// Both scripts apply the libstdc++ shim TorchSharp needs on Debian 12.
if (args.Length == 2 && args[0] == "--summarize") return Summary.Print(args[1]);
if (args.Length > 0 && args[0] == "--list")
{
    foreach (var w in SeparateWorkload.Select(args[1..]))
    {
        Console.WriteLine($"{w.Name} {w.Figure switch { Figure.FmaPeak => "peak", Figure.WholeRun => "epochs", _ => "steps" }}");
    }
    return 0;
}
if (args.Contains("--side"))
{
    SideRun.Run(args);
    return 0;
}
OneProcess.Run(args);
return 0;

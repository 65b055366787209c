using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Backprop.Cli.Bench;

namespace Compare;

/// <summary>
/// One library, one workload, in a process of its own (so that neither library's worker threads compete with the other's):
/// <c>--side backprop|torch --workload NAME [--steps N] [--warmup W] [--epochs E] [--threads T] [--data DIR]</c>. It prints one
/// JSON line (the figure, the checks, and whether libtorch was loaded into the process) for <see cref="Summary"/> to read.
/// --steps counts training steps, or calls of a layer or product, after --warmup more; single-image inference makes 100 calls
/// per step. A whole run (<see cref="Figure.WholeRun"/>) takes --epochs instead (default its own: 10 or 15) and refuses
/// --steps and --warmup, which have no meaning there.
/// </summary>
internal static class SideRun
{
    private const string Usage = "--side backprop|torch --workload NAME [--steps N] [--warmup W] [--epochs E] [--threads T] [--data DIR]";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Run(string[] args)
    {
        string Option(string name, string? fallback = null)
        {
            int i = Array.IndexOf(args, name);
            if (i >= 0 && i + 1 < args.Length) return args[i + 1];
            return fallback ?? throw new ArgumentException($"{name} is required (usage: {Usage})");
        }
        int Count(string name, int fallback) => int.Parse(Option(name, $"{fallback}"), CultureInfo.InvariantCulture);
        string side = Option("--side");
        if (side is not ("backprop" or "torch")) throw new ArgumentException($"--side: backprop or torch, got '{side}'");
        var workload = SeparateWorkload.Find(Option("--workload"));
        bool wholeRun = workload.Figure == Figure.WholeRun;
        string[] refused = wholeRun ? ["--steps", "--warmup"] : ["--epochs"];
        if (refused.FirstOrDefault(args.Contains) is { } option)
        {
            throw new ArgumentException(wholeRun ? $"{workload.Name} is a whole run: give --epochs (default {workload.Epochs}), not {option}"
                                                 : $"{workload.Name} runs --steps after --warmup: --epochs is for the whole runs");
        }
        int steps = Count("--steps", 100), warmup = Count("--warmup", 20), epochs = Count("--epochs", workload.Epochs);
        if (!wholeRun && (steps < 1 || warmup < 0 || warmup + steps < WholeRunRecorder.EarlySteps))
        {
            throw new ArgumentException($"--steps must be at least 1 and --steps plus --warmup at least {WholeRunRecorder.EarlySteps} (the checks compare the state after {WholeRunRecorder.EarlySteps} steps), got {steps} and {warmup}");
        }
        if (wholeRun && epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {epochs}");
        int threads = Count("--threads", Environment.GetEnvironmentVariable(Backprop.Threads.EnvironmentVariable) is { } fromEnvironment
            ? int.Parse(fromEnvironment, CultureInfo.InvariantCulture) : Environment.ProcessorCount);
        string data = Option("--data", "data");

        var measured = side == "backprop" ? RunBackprop(workload, data, steps, warmup, epochs, threads) : RunTorch(workload, data, steps, warmup, epochs, threads);
        double value = workload.Figure is Figure.Layer or Figure.Gemm ? workload.FlopsPerCall / measured.Value / 1e9 : measured.Value;
        var line = new Dictionary<string, object> { ["side"] = side, ["workload"] = workload.Name, ["threads"] = threads };
        if (wholeRun) line["epochs"] = epochs;
        else (line["warmup"], line["steps"]) = (warmup, steps);
        line["value"] = value;
        line["unit"] = workload.Unit;
        line["checks"] = measured.Checks;
        if (measured.BytesPerStep is { } bytes) line["bytes_per_step"] = bytes;
        line["libtorch_loaded"] = File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal);
        Console.WriteLine(JsonSerializer.Serialize(line, Json));
    }

    private static Measured RunBackprop(SeparateWorkload workload, string data, int steps, int warmup, int epochs, int threads)
    {
        global::Backprop.Threads.Count = threads;
        if (workload.Figure == Figure.FmaPeak) return new Measured(FmaPeak.Measure(threads), new Dictionary<string, double>());
        if (workload.Figure == Figure.Gemm) return BackpropSide.GemmCalls(SeparateWorkload.GemmInputs(), warmup, steps);
        var work = workload.Create!(data, warmup + steps);
        return workload.Figure switch
        {
            Figure.Training => BackpropSide.TrainSteps(work, warmup, steps),
            Figure.Inference => BackpropSide.InferenceMicroseconds(work, 100 * steps),
            Figure.WholeRun => BackpropSide.WholeRun(work, epochs),
            _ => BackpropSide.LayerCalls(work, workload.Backward, warmup, steps),
        };
    }

    private static Measured RunTorch(SeparateWorkload workload, string data, int steps, int warmup, int epochs, int threads)
    {
        if (workload.Figure == Figure.FmaPeak) throw new ArgumentException("fma-peak measures the machine: run it with --side backprop");
        global::Backprop.Threads.Count = 1; // Backprop only prepares the data and weights here: its worker pool must not start
        TorchSharp.torch.set_num_threads(threads);
        TorchSharp.torch.set_num_interop_threads(1);
        if (workload.Figure == Figure.Gemm) return TorchSide.GemmCalls(SeparateWorkload.GemmInputs(), warmup, steps);
        var work = workload.Create!(data, warmup + steps);
        return workload.Figure switch
        {
            Figure.Training => TorchSide.TrainSteps(work, warmup, steps),
            Figure.Inference => TorchSide.InferenceMicroseconds(work, 100 * steps),
            Figure.WholeRun => TorchSide.WholeRun(work, epochs),
            _ => TorchSide.LayerCalls(work, workload.Backward, warmup, steps),
        };
    }
}

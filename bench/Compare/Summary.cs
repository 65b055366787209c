using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Bench;

namespace Compare;

/// <summary>
/// Reads the JSON lines of <see cref="SideRun"/> (<c>--summarize FILE</c>) and prints the markdown tables for bench/RESULTS.md:
/// for every workload in the file, in the order of <see cref="SeparateWorkload.All"/>, the median [min, max] of each side's
/// rounds, the ratio of the medians (above 1: Backprop better), the target and whether it is met, the layer and product
/// figures' share of the FMA peak, a whole run's test accuracies, the managed bytes a Backprop training step allocates (the
/// median of its rounds); then every check of both sides, their worst relative
/// difference over the rounds and its tolerance. Exits with 1 when a check is out of tolerance or Backprop's process had
/// libtorch loaded.
/// </summary>
internal static class Summary
{
    private sealed record Row(string Side, string Workload, int Threads, int Warmup, int Steps, int Epochs, double Value, Dictionary<string, double> Checks, bool LibtorchLoaded,
        double? BytesPerStep);

    public static int Print(string path)
    {
        var rows = File.ReadLines(path).Where(l => l.StartsWith('{')).Select(Parse).ToList();
        if (rows.Count == 0) throw new ArgumentException($"{path}: no results");
        var threads = rows.Select(r => r.Threads).Distinct().ToList();
        var stepped = rows.Where(r => r.Steps > 0 && r.Workload != "fma-peak").ToList();
        var epochs = rows.Where(r => r.Epochs > 0).Select(r => r.Epochs).Distinct().ToList();
        int rounds = rows.GroupBy(r => (r.Side, r.Workload)).Max(g => g.Count());
        Console.WriteLine($"Backprop and libtorch each in a process of its own, alternating, {rounds} rounds; {string.Join("/", threads)} threads each" +
            (stepped.Count > 0 ? $"; {string.Join("/", stepped.Select(r => r.Steps).Distinct())} timed steps or calls after {string.Join("/", stepped.Select(r => r.Warmup).Distinct())} warm-up" : "") +
            (epochs.Count > 0 ? $"; whole runs of {string.Join("/", epochs)} epochs" : "") + ".");
        Console.WriteLine();

        var peak = rows.Where(r => r.Workload == "fma-peak").Select(r => r.Value).ToList();
        Spread? peakSpread = peak.Count > 0 ? Spread.Of(peak) : null;
        if (peakSpread is not null)
        {
            Console.WriteLine($"FMA peak (float32, {string.Join("/", threads)} threads): {peakSpread.ToString("F0")} GFLOP/s");
            Console.WriteLine();
        }
        Console.WriteLine("| configuration | Backprop | libtorch | ratio | target | share of FMA peak, Backprop / libtorch | test accuracy, Backprop / libtorch | Backprop bytes/step |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var failures = new List<string>();
        var checkLines = new List<string>();
        foreach (var workload in SeparateWorkload.All.Where(w => w.Figure != Figure.FmaPeak))
        {
            var ours = rows.Where(r => r.Workload == workload.Name && r.Side == "backprop").ToList();
            var theirs = rows.Where(r => r.Workload == workload.Name && r.Side == "torch").ToList();
            if (ours.Count == 0 || theirs.Count == 0) continue;
            var a = Spread.Of(ours.Select(r => r.Value));
            var b = Spread.Of(theirs.Select(r => r.Value));
            string format = workload.Figure switch { Figure.Training => "F0", Figure.Inference => "F2", _ => "F1" };
            double ratio = workload.LowerIsBetter ? b.Median / a.Median : a.Median / b.Median;
            double? share = workload.UsesPeak && peakSpread is not null ? a.Median / peakSpread.Median : null;
            string title = workload.Figure == Figure.WholeRun ? string.Format(CultureInfo.InvariantCulture, workload.Title, string.Join("/", ours.Select(r => r.Epochs).Distinct())) : workload.Title;
            string shares = share is not null ? $"{share:P0} / {b.Median / peakSpread!.Median:P0}" : "";
            string accuracy = workload.Figure == Figure.WholeRun ? $"{Median(ours, "test accuracy"):P2} / {Median(theirs, "test accuracy"):P2}" : "";
            var stepBytes = ours.Where(r => r.BytesPerStep is not null).Select(r => r.BytesPerStep!.Value).ToList();
            string bytes = stepBytes.Count > 0 ? $"{Spread.Of(stepBytes).Median:F0}" : "";
            Console.WriteLine($"| {title} | {a.ToString(format)} | {b.ToString(format)} | {ratio:F2}×{(workload.LowerIsBetter ? " lower" : "")} | " +
                              $"{workload.Target?.Judge(ratio, share, workload.LowerIsBetter)} | {shares} | {accuracy} | {bytes} |");

            foreach (var (check, tolerance) in workload.Tolerances ?? new Dictionary<string, double>())
            {
                if (!ours[0].Checks.ContainsKey(check)) continue;
                // Round r of one side against round r of the other: the worst difference of any pair.
                double worst = ours.Zip(theirs).Max(p => Relative(p.First.Checks[check], p.Second.Checks[check]));
                bool ok = worst <= tolerance;
                if (!ok) failures.Add($"{workload.Name} {check}");
                checkLines.Add($"| {workload.Name} | {check.Replace("|", "\\|", StringComparison.Ordinal)} | {ours[0].Checks[check]:G7} | {theirs[0].Checks[check]:G7} | " +
                               $"{worst:0.0E+0} | {tolerance:0E+0} | {(ok ? "agree" : "**DIFFER**")} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("Both computed the same thing: each check of Backprop's run and libtorch's in the same round (first round's values shown),");
        Console.WriteLine("the worst relative difference |a − b| / max(|a|, |b|) over the rounds, and the tolerance.");
        Console.WriteLine();
        Console.WriteLine("| workload | check | Backprop | libtorch | worst relative difference | tolerance | |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        checkLines.ForEach(Console.WriteLine);
        foreach (var r in rows.Where(r => r.Side == "backprop" && r.LibtorchLoaded)) failures.Add($"libtorch was loaded into Backprop's process ({r.Workload})");
        foreach (var r in rows.Where(r => r.Side == "torch" && !r.LibtorchLoaded)) failures.Add($"libtorch was not loaded in its own run ({r.Workload})");
        if (failures.Count == 0) return 0;
        Console.WriteLine();
        Console.WriteLine($"FAILED: {string.Join("; ", failures)}");
        return 1;
    }

    private static double Relative(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(a), Math.Abs(b));

    private static double Median(List<Row> rows, string check) => Spread.Of(rows.Select(r => r.Checks[check])).Median;

    private static Row Parse(string line)
    {
        var e = JsonDocument.Parse(line).RootElement;
        int Count(string name) => e.TryGetProperty(name, out var value) ? value.GetInt32() : 0; // steps and warm-up, or a whole run's epochs
        return new Row(e.GetProperty("side").GetString()!, e.GetProperty("workload").GetString()!, e.GetProperty("threads").GetInt32(),
            Count("warmup"), Count("steps"), Count("epochs"), e.GetProperty("value").GetDouble(),
            e.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()), e.GetProperty("libtorch_loaded").GetBoolean(),
            e.TryGetProperty("bytes_per_step", out var bytes) ? bytes.GetDouble() : null);
    }
}

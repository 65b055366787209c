using Backprop.Data;
using Backprop.Diagnostics;
using Compare;
using TorchSharp;

// Backprop against libtorch (TorchSharp-cpu 0.107.0) on the same machine, in one process: the same MNIST batches in
// file order, the same initial weights, SGD with the same learning rate, 2 threads each. Prints one table row per
// configuration: medians [min, max] over the runs, the ratio of the medians, and both test accuracies.
// Usage: bench/run-compare.sh [RUNS]   (see that script for the libstdc++ shim this needs on Debian 12)
int runs = args.Length > 0 ? int.Parse(args[0]) : 5;
const int threads = 2;
const double lr = 0.1;
torch.set_num_threads(threads);
torch.set_num_interop_threads(1);

string data = Environment.GetEnvironmentVariable("BACKPROP_MNIST") ?? "data/mnist";
var (train, test) = DataSource.Load(data, null, classification: true);
Console.WriteLine($"Backprop vs libtorch {torch.__version__} (TorchSharp-cpu 0.107.0), {Environment.ProcessorCount} cores, {threads} threads each, {runs} runs, MNIST from {data}");
Console.WriteLine($"FMA peak (float32, {threads} threads): {FmaPeak.Measure(threads):F0} GFLOP/s");
Console.WriteLine();
Console.WriteLine("| configuration | Backprop | libtorch | ratio | accuracy Backprop / libtorch | Backprop bytes/step |");
Console.WriteLine("|---|---|---|---|---|---|");

foreach (var (name, layers, batch) in new[]
{
    ("MLP 784-128-10, batch 64, one epoch (samples/s)", new[] { 784, 128, 10 }, 64),
    ("MLP 784-128-10, batch 256, one epoch (samples/s)", new[] { 784, 128, 10 }, 256),
    ("MLP 784-512-512-10, batch 128, one epoch (samples/s)", new[] { 784, 512, 512, 10 }, 128),
})
{
    var work = Workload.Create(name, layers, batch, train, test, seed: 1);
    BackpropSide.TrainEpoch(work, lr); // warm-up both: JIT, pools, libtorch's allocator
    TorchSide.TrainEpoch(work, lr);
    // Runs alternate between the two, so that a slow spell of this (virtual) machine hits both alike.
    var ours = new List<(double SamplesPerSecond, double Accuracy, double BytesPerStep)>();
    var theirs = new List<(double SamplesPerSecond, double Accuracy)>();
    for (int run = 0; run < runs; run++)
    {
        ours.Add(BackpropSide.TrainEpoch(work, lr));
        theirs.Add(TorchSide.TrainEpoch(work, lr));
    }
    var a = Spread.Of(ours.Select(r => r.SamplesPerSecond));
    var b = Spread.Of(theirs.Select(r => r.SamplesPerSecond));
    Console.WriteLine($"| {name} | {a} | {b} | {a.Median / b.Median:F2}× | {ours[0].Accuracy:P2} / {theirs[0].Accuracy:P2} | {ours.Average(r => r.BytesPerStep):F0} |");
}

var gemm = Enumerable.Range(0, runs).Select(_ => (Ours: BackpropSide.GemmGflops(1024), Theirs: TorchSide.GemmGflops(1024))).ToList();
var gemmOurs = Spread.Of(gemm.Select(g => g.Ours));
var gemmTheirs = Spread.Of(gemm.Select(g => g.Theirs));
Console.WriteLine($"| GEMM 1024×1024×1024 float32 (GFLOP/s) | {gemmOurs} | {gemmTheirs} | {gemmOurs.Median / gemmTheirs.Median:F2}× | | |");

var small = Workload.Create("inference", [784, 128, 10], 1, train, test, seed: 1);
var latency = Enumerable.Range(0, runs).Select(_ => (Ours: BackpropSide.InferenceMicroseconds(small, 5000), Theirs: TorchSide.InferenceMicroseconds(small, 5000))).ToList();
var latencyOurs = Spread.Of(latency.Select(l => l.Ours));
var latencyTheirs = Spread.Of(latency.Select(l => l.Theirs));
Console.WriteLine($"| single-sample inference, 784-128-10 (µs, lower is better) | {latencyOurs} | {latencyTheirs} | {latencyTheirs.Median / latencyOurs.Median:F2}× lower | | |");

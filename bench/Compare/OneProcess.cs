using Backprop.Cli.Bench;
using Backprop.Data;
using TorchSharp;

namespace Compare;

/// <summary>
/// The MLP comparison with both libraries in one process (bench/run-compare.sh): the same MNIST batches in file order, the same
/// initial weights, SGD with the same learning rate, 2 threads each. Prints one table row per configuration: medians [min, max]
/// over the runs, the ratio of the medians, and both test accuracies. With <c>profile</c> first it prints, instead, where each
/// library's step time goes.
/// </summary>
internal static class OneProcess
{
    private const int ThreadCount = 2;

    public static void Run(string[] args)
    {
        bool profileOnly = args.Length > 0 && args[0] == "profile";
        if (profileOnly) args = args[1..];
        int runs = args.Length > 0 ? int.Parse(args[0]) : 5;
        torch.set_num_threads(ThreadCount);
        torch.set_num_interop_threads(1);

        string data = Environment.GetEnvironmentVariable("BACKPROP_MNIST") ?? "data/mnist";
        // The MLPs take each image as one row of 784.
        var train = Dataset.FromIdx(Path.Combine(data, "train-images-idx3-ubyte"), Path.Combine(data, "train-labels-idx1-ubyte")).Flatten();
        var test = Dataset.FromIdx(Path.Combine(data, "t10k-images-idx3-ubyte"), Path.Combine(data, "t10k-labels-idx1-ubyte")).Flatten();
        Console.WriteLine($"Backprop vs libtorch {torch.__version__} (TorchSharp-cpu 0.107.0), {Environment.ProcessorCount} cores, {ThreadCount} threads each, {runs} runs, MNIST from {data}");
        Console.WriteLine($"FMA peak (float32, {ThreadCount} threads): {FmaPeak.Measure(ThreadCount):F0} GFLOP/s");
        Console.WriteLine();
        if (profileOnly)
        {
            PrintProfiles(runs, train, test);
            return;
        }
        Console.WriteLine("| configuration | Backprop | libtorch | ratio | accuracy Backprop / libtorch | Backprop bytes/step |");
        Console.WriteLine("|---|---|---|---|---|---|");

        foreach (var mlp in MlpConfiguration.Trained)
        {
            var work = mlp.Create(train, test);
            BackpropSide.TrainEpoch(work); // warm-up both: JIT, pools, libtorch's allocator
            TorchSide.TrainEpoch(work);
            // Runs alternate between the two, so that a slow spell of this (virtual) machine hits both alike.
            var ours = new List<(double SamplesPerSecond, double Accuracy, double BytesPerStep)>();
            var theirs = new List<(double SamplesPerSecond, double Accuracy)>();
            for (int run = 0; run < runs; run++)
            {
                ours.Add(BackpropSide.TrainEpoch(work));
                theirs.Add(TorchSide.TrainEpoch(work));
            }
            var a = Spread.Of(ours.Select(r => r.SamplesPerSecond));
            var b = Spread.Of(theirs.Select(r => r.SamplesPerSecond));
            Console.WriteLine($"| {mlp.Title}, one epoch (samples/s) | {a.ToString("F0")} | {b.ToString("F0")} | {a.Median / b.Median:F2}× | {ours[0].Accuracy:P2} / {theirs[0].Accuracy:P2} | {ours.Average(r => r.BytesPerStep):F0} |");
        }

        // The separate-process workload's product: one call after one warm-up call, each library in turn.
        var product = SeparateWorkload.Find("gemm-1024");
        var inputs = SeparateWorkload.GemmInputs();
        var gemm = Enumerable.Range(0, runs).Select(_ => (Ours: BackpropSide.GemmCalls(inputs, 1, 1).Value, Theirs: TorchSide.GemmCalls(inputs, 1, 1).Value)).ToList();
        var gemmOurs = Spread.Of(gemm.Select(g => product.FlopsPerCall / g.Ours / 1e9));
        var gemmTheirs = Spread.Of(gemm.Select(g => product.FlopsPerCall / g.Theirs / 1e9));
        Console.WriteLine($"| {product.Title} | {gemmOurs.ToString("F1")} | {gemmTheirs.ToString("F1")} | {gemmOurs.Median / gemmTheirs.Median:F2}× | | |");

        var small = MlpConfiguration.Inference.Create(train, test, maxBatches: 1);
        var latency = Enumerable.Range(0, runs).Select(_ => (Ours: BackpropSide.InferenceMicroseconds(small, 5000).Value, Theirs: TorchSide.InferenceMicroseconds(small, 5000).Value)).ToList();
        var latencyOurs = Spread.Of(latency.Select(l => l.Ours));
        var latencyTheirs = Spread.Of(latency.Select(l => l.Theirs));
        Console.WriteLine($"| single-sample inference, 784-128-10 (µs, lower is better) | {latencyOurs.ToString("F2")} | {latencyTheirs.ToString("F2")} | {latencyTheirs.Median / latencyOurs.Median:F2}× lower | | |");
    }

    private static void PrintProfiles(int runs, Dataset train, Dataset test)
    {
        Console.WriteLine("Median µs per phase of a training step over the steps of an epoch: median [min, max] of the runs' medians;");
        Console.WriteLine("then the median managed bytes each phase allocates on the training thread (libtorch's native memory not included).");
        Console.WriteLine();
        Console.WriteLine($"| configuration | library | {string.Join(" | ", StepProfile.Phases)} |");
        Console.WriteLine($"|---|---|{string.Concat(StepProfile.Phases.Select(_ => "---|"))}");
        var allocations = new List<string>();
        foreach (var mlp in MlpConfiguration.Trained)
        {
            var work = mlp.Create(train, test);
            BackpropSide.ProfileEpoch(work);
            TorchSide.ProfileEpoch(work);
            var ours = new List<StepProfile>();
            var theirs = new List<StepProfile>();
            for (int run = 0; run < runs; run++)
            {
                ours.Add(BackpropSide.ProfileEpoch(work));
                theirs.Add(TorchSide.ProfileEpoch(work));
            }
            foreach (var (library, profiles) in new[] { ("Backprop", ours), ("libtorch", theirs) })
            {
                var times = profiles.Select(p => p.MedianMicroseconds()).ToList();
                Console.WriteLine($"| {mlp.Title} | {library} | {string.Join(" | ", StepProfile.Phases.Select((_, i) => Spread.Of(times.Select(t => t[i])).ToString("F1")))} |");
                allocations.Add($"| {mlp.Title} | {library} | {string.Join(" | ", profiles[^1].MedianBytes().Select(b => $"{b:F0}"))} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine($"| configuration | library | {string.Join(" | ", StepProfile.Phases.Select(p => p + " (bytes)"))} |");
        Console.WriteLine($"|---|---|{string.Concat(StepProfile.Phases.Select(_ => "---|"))}");
        allocations.ForEach(Console.WriteLine);

        var single = MlpConfiguration.Inference.Create(train, test, maxBatches: 1);
        var inference = Enumerable.Range(0, runs).Select(_ => BackpropSide.InferenceProfile(single, 20000)).ToList();
        Console.WriteLine();
        Console.WriteLine("Backprop single-sample inference, 784-128-10 (µs per call):");
        Console.WriteLine($"- whole forward: {Spread.Of(inference.Select(i => i.Forward)).ToString("F2")}");
        Console.WriteLine($"- the first layer's product alone (1×784 by 784×128): {Spread.Of(inference.Select(i => i.FirstProduct)).ToString("F2")}");
        Console.WriteLine($"- summing that layer's 100 352 weights (reading them once): {Spread.Of(inference.Select(i => i.ReadWeights)).ToString("F2")}");
    }
}

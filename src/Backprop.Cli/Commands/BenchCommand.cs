using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Backprop.Cli.Bench;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop bench</c>: Backprop's own speed on this machine: the FMA peak, GEMM GFLOP/s, training samples/s and bytes
/// allocated per step for the networks of the libtorch comparison, and single-sample inference latency. Medians of
/// several runs, with min and max.
/// </summary>
internal static class BenchCommand
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);

    private static readonly (string Name, int[] Layers, int Batch)[] Configurations =
    [
        ("MLP 784-128-10, batch 64", [784, 128, 10], 64),
        ("MLP 784-128-10, batch 256", [784, 128, 10], 256),
        ("MLP 784-512-512-10, batch 128", [784, 512, 512, 10], 128),
    ];

    public static Command Create()
    {
        var runs = CheckedOption.Int("--runs", "Timed runs per figure (the median is reported)", 5, v => v < 1 ? "must be at least 1" : null);
        var command = new Command("bench", "Measure Backprop's speed on this machine") { runs };
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            int count = parsed.GetValue(runs);
            output.WriteLine($"{Environment.ProcessorCount} cores, {VectorPath.Name} kernels, .NET {Environment.Version}");
            double peak = FmaPeak.Measure(Environment.ProcessorCount);
            output.WriteLine($"FMA peak, float32, {Environment.ProcessorCount} threads: {peak:F0} GFLOP/s");
            var gemm = Gemm(count);
            output.WriteLine($"GEMM 1024x1024x1024 float32: {gemm.ToString("F1")} GFLOP/s ({gemm.Median / peak:P0} of peak)");
            foreach (var (name, layers, batch) in Configurations)
            {
                var (samples, allocated) = Training(layers, batch, count);
                output.WriteLine($"{name}: {samples.ToString("F0")} samples/s, {allocated:F0} bytes allocated per step");
            }
            output.WriteLine($"single-sample inference, 784-128-10: {Inference(count).ToString("F2")} µs");
            return 0;
        });
        return command;
    }

    private static Spread Gemm(int runs)
    {
        var g = new Generator(1);
        var a = Tensor.Rand([1024, 1024], g);
        var b = Tensor.Rand([1024, 1024], g);
        a.MatMul(b); // warm-up: JIT and pools
        return Spread.Of(Enumerable.Range(0, runs).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            a.MatMul(b);
            return 2.0 * 1024 * 1024 * 1024 / clock.Elapsed.TotalSeconds / 1e9;
        }));
    }

    private static (Spread SamplesPerSecond, double BytesPerStep) Training(int[] layers, int batch, int runs)
    {
        const int steps = 100;
        var generator = new Generator(1);
        var model = Architecture.Mlp(layers, Activation.ReLU).Build(generator);
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.01));
        var features = Tensor.Rand([batch, layers[0]], generator);
        var targets = Tensor.FromArray(Enumerable.Range(0, batch).Select(_ => (float)generator.NextInt(layers[^1])).ToArray());
        // Warm up for a while, not a number of steps: the JIT promotes hot methods to optimised code only after its
        // tiering delay, and pools fill on the first steps.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < WarmUp) trainer.Step(features, targets);

        double bytes = 0;
        var spread = Spread.Of(Enumerable.Range(0, runs).Select(_ =>
        {
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) trainer.Step(features, targets);
            double seconds = clock.Elapsed.TotalSeconds;
            bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)steps;
            return steps * batch / seconds;
        }));
        return (spread, bytes);
    }

    private static Spread Inference(int runs)
    {
        const int calls = 2000;
        var model = Architecture.Mlp([784, 128, 10], Activation.ReLU).Build(new Generator(1));
        model.Eval();
        var input = Tensor.Rand([1, 784], new Generator(2));
        using var _ = new Autograd.NoGrad();
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < WarmUp) model.Forward(input);
        return Spread.Of(Enumerable.Range(0, runs).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) model.Forward(input);
            return clock.Elapsed.TotalMicroseconds / calls;
        }));
    }
}

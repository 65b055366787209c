using System.Diagnostics;
using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

// ms per training step (forward, loss, backward, SGD with momentum) at batch 64 on MNIST-sized random images, after a
// warm-up, as the trainer runs a step (one TensorScope per step, gradients zeroed in place), and the managed memory a step
// allocates (all threads); then the forward time of each layer and the backward time of the whole, to see where a step goes. Usage: dotnet run -c Release [steps] [ops [conv]]:
// "ops" times single ops instead (fastest of 100 runs), "ops conv" only the two Fashion-MNIST convolutions with backward.
// The machine is shared: compare fastest runs, or medians taken when the load average is low.
int steps = args.Length > 0 ? int.Parse(args[0]) : 100;
if (args.Contains("ops"))
{
    // Each op alone, fastest of 100 runs (the machine is shared: the fastest run is the least disturbed one).
    var g0 = new Generator(2);
    var a32 = Tensor.Rand([64, 32, 28, 28], g0);
    var image = Tensor.Rand([64, 1, 28, 28], g0);
    var a14 = Tensor.Rand([64, 32, 14, 14], g0);
    var w1 = Tensor.Rand([32, 1, 3, 3], g0);
    var w2 = Tensor.Rand([64, 32, 3, 3], g0);
    void Time(string what, Func<Tensor> op, bool backward)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 100; i++)
        {
            using var scope = new TensorScope();
            long start = Stopwatch.GetTimestamp();
            var y = op();
            if (backward) y.Backward(Tensor.Ones(y.Shape));
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine($"{what,-66} {best:F3} ms");
    }
    if (args.Contains("conv"))
    {
        image.RequiresGrad = false;
        foreach (var t in new[] { a14, w1, w2 }) t.RequiresGrad = true;
        for (int round = 0; round < 3; round++)
        {
            Time("conv2d [64,1,28,28] * [32,1,3,3] p1 + backward (weights only)", () => image.Conv2d(w1, padding: 1), true);
            Time("conv2d [64,32,14,14] * [64,32,3,3] p1 + backward", () => a14.Conv2d(w2, padding: 1), true);
        }
        return;
    }
    foreach (bool backward in new[] { false, true })
    {
        foreach (var t in new[] { a32, a14, image, w1, w2 }) t.RequiresGrad = backward;
        string suffix = backward ? " + backward" : "";
        Time("max_pool2d [64,32,28,28] 2" + suffix, () => a32.MaxPool2d(2), backward);
        Time("relu [64,32,28,28]" + suffix, () => a32.Relu(), backward);
        Time("conv2d [64,1,28,28] * [32,1,3,3] p1" + suffix, () => image.Conv2d(w1, padding: 1), backward);
        Time("conv2d [64,32,14,14] * [64,32,3,3] p1" + suffix, () => a14.Conv2d(w2, padding: 1), backward);
    }
    return;
}
var networks = new (string Name, Func<Sequential> Build)[]
{
    ("LeNet-5", () => new Sequential(
        new Conv2d(1, 6, 5, padding: 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(),
        new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10))),
    ("Conv(1,32,3,p=1)/Conv(32,64,3,p=1)", () => new Sequential(
        new Conv2d(1, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Conv2d(32, 64, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Flatten(),
        new Linear(3136, 24), new ReLU(), new Linear(24, 10))),
};
var generator = new Generator(1);
var images = Tensor.Rand([64, 1, 28, 28], generator);
var labels = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray());
foreach (var (name, build) in networks)
{
    var model = build();
    var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9);
    var loss = new CrossEntropyLoss();
    var layerTimes = new double[model.Layers.Count];
    // Sized for every step up front, so that the lists do not grow inside the steps whose allocations are counted.
    var stepTimes = new List<double>(steps);
    var backwardTimes = new List<double>(steps);
    // Warm-up: 1.5 s of steps, as `backprop bench` warms up; 20 steps left the graph code in the JIT's first tier, whose
    // per-layer times read slower than a trained epoch's.
    int warmupSteps = 0;
    for (var warming = Stopwatch.StartNew(); warming.Elapsed < TimeSpan.FromSeconds(1.5); warmupSteps++) Step(-1);
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    for (int step = 0; step < steps; step++) Step(step);
    double bytesPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)steps;
    void Step(int step)
    {
        long start = Stopwatch.GetTimestamp();
        using var scope = new TensorScope();
        optimizer.ZeroGrad(setToNone: false);
        var x = images;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            long before = Stopwatch.GetTimestamp();
            x = model.Layers[i].Forward(x);
            if (step >= 0) layerTimes[i] += Stopwatch.GetElapsedTime(before).TotalMilliseconds;
        }
        var value = loss.Forward(x, labels);
        long backward = Stopwatch.GetTimestamp();
        value.Backward();
        double backwardMs = Stopwatch.GetElapsedTime(backward).TotalMilliseconds;
        optimizer.Step();
        if (step < 0) return;
        stepTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        backwardTimes.Add(backwardMs);
    }
    double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine($"  fastest step {stepTimes.Min():F2} ms");
    Console.WriteLine($"{name}: {Median(stepTimes):F2} ms per step (median of {steps} after {warmupSteps} warm-up steps), backward {Median(backwardTimes):F2} ms; " +
        $"an epoch of 938 steps ≈ {Median(stepTimes) * 938 / 1000:F1} s; {bytesPerStep:F0} bytes of managed memory allocated per step (all threads)");

    for (int i = 0; i < model.Layers.Count; i++) Console.WriteLine($"    forward {i,2} {model.Layers[i].GetType().Name,-10} {layerTimes[i] / steps:F3} ms");
}

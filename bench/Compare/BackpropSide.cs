using System.Diagnostics;
using Backprop;
using Backprop.Autograd;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Compare;

/// <summary>The Backprop half of each measurement.</summary>
internal static class BackpropSide
{
    /// <summary>One epoch of SGD over the workload's batches; returns samples/s, test accuracy and bytes allocated per step.</summary>
    public static (double SamplesPerSecond, double Accuracy, double BytesPerStep) TrainEpoch(Workload work, double lr)
    {
        var spec = new ModelSpec(work.Layers, Activation.ReLU, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(0));
        model.LoadStateDict(work.InitialWeights.ToDictionary(w => w.Name, w => Tensor.FromArray(w.Values, new Shape([.. w.Shape.Select(d => (int)d)]))));
        var trainer = new Trainer(model, spec, new Sgd(model.Parameters(), lr));
        var loss = spec.CreateLoss();
        var batches = work.Batches.Select(b => (Tensor.FromArray(b.X, [b.Y.Length, work.Layers[0]]), Tensor.FromArray(b.Y.Select(v => (float)v).ToArray()))).ToList();

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        foreach (var (x, y) in batches) trainer.Step(x, y, loss);
        double seconds = clock.Elapsed.TotalSeconds;
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)batches.Count;
        return (work.Samples / seconds, Evaluator.Evaluate(model, spec, work.Test).Accuracy!.Value, bytes);
    }

    public static double GemmGflops(int size)
    {
        var a = Tensor.Rand([size, size], new Generator(1));
        var b = Tensor.Rand([size, size], new Generator(2));
        a.MatMul(b);
        var clock = Stopwatch.StartNew();
        a.MatMul(b);
        return 2.0 * size * size * size / clock.Elapsed.TotalSeconds / 1e9;
    }

    public static double InferenceMicroseconds(Workload work, int calls)
    {
        var spec = new ModelSpec(work.Layers, Activation.ReLU, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(0));
        model.Eval();
        var input = Tensor.FromArray(work.Batches[0].X[..work.Layers[0]], [1, work.Layers[0]]);
        using var _ = new NoGrad();
        for (int i = 0; i < calls / 10; i++) model.Forward(input);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) model.Forward(input);
        return clock.Elapsed.TotalMicroseconds / calls;
    }
}

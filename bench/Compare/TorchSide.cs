using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Compare;

/// <summary>The libtorch half of each measurement, through TorchSharp-cpu, with the same weights, batches and hyperparameters.</summary>
internal static class TorchSide
{
    private static nn.Module<Tensor, Tensor> Build(Workload work)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < work.Layers.Length; i++)
        {
            if (i > 0) layers.Add(($"{2 * i - 1}", nn.ReLU()));
            layers.Add(($"{2 * i}", nn.Linear(work.Layers[i], work.Layers[i + 1])));
        }
        var model = nn.Sequential(layers);
        using (no_grad())
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, values, shape) in work.InitialWeights) parameters[name].copy_(tensor(values).reshape(shape));
        }
        return model;
    }

    public static (double SamplesPerSecond, double Accuracy) TrainEpoch(Workload work, double lr)
    {
        var model = Build(work);
        var optimizer = optim.SGD(model.parameters(), lr);
        var batches = work.Batches.Select(b => (tensor(b.X).reshape(b.Y.Length, work.Layers[0]), tensor(b.Y))).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return (work.Samples / seconds, Accuracy(model, work));
    }

    /// <summary>One epoch of the same steps, each phase timed on its own.</summary>
    public static StepProfile ProfileEpoch(Workload work, double lr)
    {
        var model = Build(work);
        var optimizer = optim.SGD(model.parameters(), lr);
        var batches = work.Batches.Select(b => (tensor(b.X).reshape(b.Y.Length, work.Layers[0]), tensor(b.Y))).ToList();
        var profile = new StepProfile();
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            profile.BeginStep();
            optimizer.zero_grad();
            profile.Mark();
            var outputs = model.forward(x);
            profile.Mark();
            var loss = nn.functional.cross_entropy(outputs, y);
            profile.Mark();
            loss.backward();
            profile.Mark();
            optimizer.step();
            profile.Mark();
        }
        return profile;
    }

    private static double Accuracy(nn.Module<Tensor, Tensor> model, Workload work)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(work.Test.Features.ToFloatArray()).reshape(work.Test.Count, work.Layers[0]);
        var y = tensor(work.Test.Targets.ToFloatArray().Select(v => (long)v).ToArray());
        return model.forward(x).argmax(1).eq(y).sum().item<long>() / (double)work.Test.Count;
    }

    public static double GemmGflops(int size)
    {
        using var scope = NewDisposeScope();
        var a = rand(size, size);
        var b = rand(size, size);
        mm(a, b);
        var clock = Stopwatch.StartNew();
        mm(a, b);
        return 2.0 * size * size * size / clock.Elapsed.TotalSeconds / 1e9;
    }

    public static double InferenceMicroseconds(Workload work, int calls)
    {
        var model = Build(work);
        model.eval();
        using var _ = no_grad();
        var input = tensor(work.Batches[0].X[..work.Layers[0]]).reshape(1, work.Layers[0]);
        for (int i = 0; i < calls / 10; i++) { using var s = NewDisposeScope(); model.forward(input); }
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) { using var s = NewDisposeScope(); model.forward(input); }
        return clock.Elapsed.TotalMicroseconds / calls;
    }
}

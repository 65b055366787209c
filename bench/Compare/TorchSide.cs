using System.Diagnostics;
using Backprop.NN;
using TorchSharp;
using static TorchSharp.torch;

namespace Compare;

/// <summary>The libtorch half of each measurement, through TorchSharp-cpu, with the same weights, batches and hyperparameters.</summary>
internal static class TorchSide
{
    /// <summary>
    /// The workload's architecture built from TorchSharp's layers, one for each layer of the text, named by position as
    /// <c>torch.nn.Sequential</c> names them, then every parameter overwritten with Backprop's initial values by that name.
    /// </summary>
    private static nn.Module<Tensor, Tensor> Build(Workload work)
    {
        var model = nn.Sequential(work.Architecture.Layers.Select((layer, i) => ($"{i}", Layer(layer))));
        using (no_grad())
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            if (parameters.Count != work.InitialWeights.Count || work.InitialWeights.Any(w => !parameters.ContainsKey(w.Name)))
            {
                throw new InvalidOperationException($"libtorch's parameters ({string.Join(", ", parameters.Keys)}) are not Backprop's ({string.Join(", ", work.InitialWeights.Select(w => w.Name))})");
            }
            foreach (var (name, values, shape) in work.InitialWeights)
            {
                if (!parameters[name].shape.SequenceEqual(shape))
                {
                    throw new InvalidOperationException($"{name}: libtorch's shape [{string.Join(", ", parameters[name].shape)}], Backprop's [{string.Join(", ", shape)}]");
                }
                parameters[name].copy_(tensor(values).reshape(shape));
            }
        }
        return model;
    }

    /// <summary>The TorchSharp layer for one layer of the architecture text; only the layers the compared networks use.</summary>
    private static nn.Module<Tensor, Tensor> Layer(LayerSpec layer)
    {
        var a = layer.Arguments;
        static (long, long) Long((int Height, int Width) pair) => (pair.Height, pair.Width);
        return layer.Name switch
        {
            "Linear" => nn.Linear(a.Int("in_features"), a.Int("out_features"), hasBias: a.Bool("bias")),
            "ReLU" => nn.ReLU(),
            "Flatten" => nn.Flatten(a.Int("start_dim"), a.Int("end_dim")),
            "Conv2d" => nn.Conv2d(a.Int("in_channels"), a.Int("out_channels"), Long(a.Pair("kernel_size", 1)), stride: Long(a.Pair("stride", 1)),
                padding: Long(a.Pair("padding", 0)), dilation: Long(a.Pair("dilation", 1)), groups: a.Int("groups"), bias: a.Bool("bias")),
            "MaxPool2d" => nn.MaxPool2d(Long(a.Pair("kernel_size", 1)), stride: Long(a.OptionalPair("stride", 1) ?? a.Pair("kernel_size", 1)),
                padding: Long(a.Pair("padding", 0))),
            _ => throw new NotSupportedException($"{layer}: the comparison builds only Linear, ReLU, Flatten, Conv2d and MaxPool2d in libtorch"),
        };
    }

    private static optim.Optimizer CreateOptimizer(OptimizerChoice choice, nn.Module<Tensor, Tensor> model) => choice.Kind switch
    {
        "sgd" => optim.SGD(model.parameters(), choice.LearningRate, momentum: choice.Momentum),
        // Betas and eps explicit: 0.107.0's defaults are PyTorch's, but TorchSharp's sources have had an optim.Adam factory with β₂ 0.99.
        "adam" => optim.Adam(model.parameters(), choice.LearningRate, OptimizerChoice.Beta1, OptimizerChoice.Beta2, OptimizerChoice.Eps),
        _ => throw new ArgumentException($"optimizer '{choice.Kind}'"),
    };

    /// <summary>Examples per batch of the test evaluation, as Backprop's <see cref="Backprop.Training.Evaluator"/> takes them.</summary>
    private const int EvaluationBatch = 1000;

    private static List<(Tensor X, Tensor Y)> Batches(Workload work) =>
        work.Batches.Select(b => (tensor(b.X).reshape(work.BatchShape(b.Y.Length).Select(d => (long)d).ToArray()), tensor(b.Y))).ToList();

    /// <summary>A whole data set in libtorch's tensors: the examples in the workload's shape, the class indices as int64.</summary>
    private static (Tensor X, Tensor Y) Whole(Workload work, Backprop.Data.Dataset data) =>
        (tensor(data.Features.ToFloatArray()).reshape(work.BatchShape(data.Count).Select(d => (long)d).ToArray()),
         tensor(data.Targets.ToFloatArray().Select(v => (long)v).ToArray()));

    public static (double SamplesPerSecond, double Accuracy) TrainEpoch(Workload work)
    {
        var model = Build(work);
        var optimizer = CreateOptimizer(work.Optimizer, model);
        var batches = Batches(work);

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
        using var testScope = NewDisposeScope(); // frees the test set's tensors
        return (work.Samples / seconds, Accuracy(model, Whole(work, work.Test)));
    }

    /// <summary>The same steps as <see cref="BackpropSide.TrainSteps"/>, with the same checks.</summary>
    public static Measured TrainSteps(Workload work, int warmup, int steps)
    {
        var model = Build(work);
        var optimizer = CreateOptimizer(work.Optimizer, model);
        var batches = Batches(work);
        return Measured.Training(warmup, steps, i =>
        {
            var (x, y) = batches[i % batches.Count];
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            return (loss.item<float>(), (int)y.shape[0]); // the loss read every step, as Trainer.Step reads it on Backprop's side
        }, () => Moved(work, model));
    }

    /// <summary>
    /// The same run as <see cref="BackpropSide.WholeRun"/>, written as a PyTorch user writes a training loop over data in memory:
    /// each epoch the same shuffled order as Backprop's DataLoader draws (Backprop's generator, the same seed), each batch
    /// gathered by <c>index_select</c>, then the test accuracy in batches of 1000 in eval mode without a graph. The data goes
    /// into libtorch's tensors before the clock starts, as Backprop's side has it in its own.
    /// </summary>
    public static Measured WholeRun(Workload work, int epochs)
    {
        var model = Build(work);
        var optimizer = CreateOptimizer(work.Optimizer, model);
        var (features, targets) = Whole(work, work.Train);
        var test = Whole(work, work.Test);
        int count = work.Train.Count;
        var generator = new Backprop.Generator(WholeRunRecorder.ShuffleSeed);
        var run = new WholeRunRecorder(() => Moved(work, model));
        run.Start();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            var order = Enumerable.Range(0, count).ToArray();
            generator.Shuffle<int>(order);
            using var permutation = tensor(Array.ConvertAll(order, i => (long)i));
            for (int start = 0; start < count; start += work.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = permutation.narrow(0, start, Math.Min(work.BatchSize, count - start));
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(features.index_select(0, batch)), targets.index_select(0, batch));
                loss.backward();
                optimizer.step();
                run.Step(loss.item<float>()); // read every step, as Trainer.Fit reads it for its report
            }
        }
        return run.Finish(Accuracy(model, test));
    }

    private static double Moved(Workload work, nn.Module<Tensor, Tensor> model)
    {
        var now = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        return Measured.Moved(work, name => now[name]);
    }

    /// <summary>The same calls as <see cref="BackpropSide.LayerCalls"/>, with the same checks.</summary>
    public static Measured LayerCalls(Workload work, bool backward, int warmup, int calls)
    {
        var model = Build(work);
        var x = Batches(work)[0].X;
        x.requires_grad = backward;
        Tensor upstream;
        using (no_grad()) upstream = ones_like(model.forward(x));
        float[] output = [];
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + calls; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = NewDisposeScope();
            if (backward)
            {
                x.grad = null; // PyTorch's default zero_grad (set_to_none): backward writes fresh gradients, nothing to zero or add to
                model.zero_grad();
                var y = model.forward(x);
                y.backward([upstream]);
                if (i == warmup + calls - 1) output = y.detach().data<float>().ToArray();
            }
            else
            {
                using var _ = no_grad();
                var y = model.forward(x);
                if (i == warmup + calls - 1) output = y.data<float>().ToArray();
            }
        }
        clock.Stop();
        var checks = new Dictionary<string, double> { ["Σ|y|"] = Measured.SumAbs(output) };
        if (backward)
        {
            checks["Σ|dW|"] = Measured.SumAbs(model.named_parameters().First(p => p.name == "0.weight").parameter.grad!.data<float>().ToArray());
            checks["Σ|dx|"] = Measured.SumAbs(x.grad!.data<float>().ToArray());
        }
        return new Measured(clock.Elapsed.TotalSeconds / calls, checks);
    }

    /// <summary>One epoch of the same steps, each phase timed on its own.</summary>
    public static StepProfile ProfileEpoch(Workload work)
    {
        var model = Build(work);
        var optimizer = CreateOptimizer(work.Optimizer, model);
        var batches = Batches(work);
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

    /// <summary>The share of <paramref name="test"/>'s examples classified right, in eval mode without a graph, 1000 at a time.</summary>
    private static double Accuracy(nn.Module<Tensor, Tensor> model, (Tensor X, Tensor Y) test)
    {
        model.eval();
        using var _ = no_grad();
        long count = test.Y.shape[0], correct = 0;
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(EvaluationBatch, count - start);
            correct += model.forward(test.X.narrow(0, start, size)).argmax(1).eq(test.Y.narrow(0, start, size)).sum().item<long>();
        }
        model.train();
        return correct / (double)count;
    }

    /// <summary>The same products as <see cref="BackpropSide.GemmCalls"/>, with the same check.</summary>
    public static Measured GemmCalls((float[] A, float[] B) inputs, int warmup, int calls)
    {
        long size = (long)Math.Sqrt(inputs.A.Length);
        using var a = tensor(inputs.A).reshape(size, size);
        using var b = tensor(inputs.B).reshape(size, size);
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + calls; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = NewDisposeScope();
            mm(a, b);
        }
        clock.Stop();
        using var last = NewDisposeScope();
        return new Measured(clock.Elapsed.TotalSeconds / calls, new Dictionary<string, double> { ["Σ|C|"] = Measured.SumAbs(mm(a, b).data<float>().ToArray()) });
    }

    /// <summary>The same calls as <see cref="BackpropSide.InferenceMicroseconds"/>, with the same check.</summary>
    public static Measured InferenceMicroseconds(Workload work, int calls)
    {
        var model = Build(work);
        model.eval();
        using var _ = no_grad();
        var input = tensor(work.Batches[0].X[..work.FeatureCount]).reshape(work.BatchShape(1).Select(d => (long)d).ToArray());
        for (int i = 0; i < calls / 10; i++) { using var s = NewDisposeScope(); model.forward(input); }
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) { using var s = NewDisposeScope(); model.forward(input); }
        double microseconds = clock.Elapsed.TotalMicroseconds / calls;
        using var last = NewDisposeScope();
        return new Measured(microseconds, new Dictionary<string, double> { ["Σ|output|"] = Measured.SumAbs(model.forward(input).data<float>().ToArray()) });
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Compare;

/// <summary>The Backprop half of each measurement.</summary>
internal static class BackpropSide
{
    /// <summary>One epoch over the workload's batches with its optimizer; returns samples/s, test accuracy and bytes allocated per step.</summary>
    public static (double SamplesPerSecond, double Accuracy, double BytesPerStep) TrainEpoch(Workload work)
    {
        var (model, batches) = Build(work);
        var trainer = new Trainer(model, new CrossEntropyLoss(), CreateOptimizer(work.Optimizer, model));

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        foreach (var (x, y) in batches) trainer.Step(x, y);
        double seconds = clock.Elapsed.TotalSeconds;
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)batches.Count;
        return (work.Samples / seconds, Evaluator.Evaluate(model, new CrossEntropyLoss(), work.Test).Accuracy!.Value, bytes);
    }

    /// <summary>One epoch of the same steps as <see cref="Trainer.Step"/>, each phase timed on its own.</summary>
    public static StepProfile ProfileEpoch(Workload work)
    {
        var (model, batches) = Build(work);
        var optimizer = CreateOptimizer(work.Optimizer, model);
        var loss = new CrossEntropyLoss();
        var profile = new StepProfile();
        foreach (var (x, y) in batches)
        {
            using var scope = new TensorScope();
            profile.BeginStep();
            optimizer.ZeroGrad(setToNone: false);
            profile.Mark();
            var outputs = model.Forward(x);
            profile.Mark();
            var value = loss.Forward(outputs, y);
            profile.Mark();
            value.Backward();
            profile.Mark();
            optimizer.Step();
            profile.Mark();
        }
        return profile;
    }

    /// <summary>
    /// <see cref="Trainer.Step"/> over <paramref name="warmup"/> then <paramref name="steps"/> batches in file order (from the
    /// first again when they run out); samples/s of the timed steps, and the checks of <see cref="Measured.Training"/>.
    /// </summary>
    public static Measured TrainSteps(Workload work, int warmup, int steps)
    {
        var (model, batches) = Build(work);
        var trainer = new Trainer(model, new CrossEntropyLoss(), CreateOptimizer(work.Optimizer, model));
        return Measured.Training(warmup, steps, i =>
        {
            var (x, y) = batches[i % batches.Count];
            return (trainer.Step(x, y).Loss, y.Shape[0]);
        }, () => Moved(work, model));
    }

    /// <summary>
    /// A whole run as a user makes one: <see cref="Trainer.Fit"/> over <paramref name="epochs"/> epochs of the whole training
    /// set, shuffled each epoch by a <see cref="DataLoader"/> from <see cref="WholeRunRecorder.ShuffleSeed"/>, then the test
    /// accuracy from <see cref="Evaluator"/>; wall seconds and the checks of <see cref="WholeRunRecorder"/>.
    /// </summary>
    public static Measured WholeRun(Workload work, int epochs)
    {
        var (model, _) = Build(work);
        var trainer = new Trainer(model, new CrossEntropyLoss(), CreateOptimizer(work.Optimizer, model));
        var loader = new DataLoader(work.Train, work.BatchSize, shuffle: true, new Generator(WholeRunRecorder.ShuffleSeed));
        var run = new WholeRunRecorder(() => Moved(work, model));
        trainer.BatchCompleted += report => run.Step(report.Loss);
        run.Start();
        trainer.Fit(loader, epochs);
        return run.Finish(Evaluator.Evaluate(model, new CrossEntropyLoss(), work.Test).Accuracy!.Value);
    }

    private static double Moved(Workload work, Module model)
    {
        var now = model.StateDict();
        return Measured.Moved(work, name => now[name].ToFloatArray());
    }

    /// <summary>
    /// The workload's one layer on its one batch, forward alone (no graph recorded) or forward and backward (the input and the
    /// weights requiring gradients, as inside a network, and their gradients cleared before each call as a training step
    /// clears them: here zeroed lazily in place, which lets backward write them instead of adding; libtorch's side sets them to
    /// none, PyTorch's default), inside one <see cref="TensorScope"/> per call; returns seconds per call and checksums of the
    /// output and of the gradients.
    /// </summary>
    public static Measured LayerCalls(Workload work, bool backward, int warmup, int calls)
    {
        var (model, batches) = Build(work);
        var x = batches[0].X;
        x.RequiresGrad = backward;
        var parameters = model.Parameters().ToList();
        Tensor upstream;
        using (new NoGrad()) upstream = Tensor.Ones(model.Forward(x).Shape); // made outside any scope: it lives through every call
        float[] output = [];
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + calls; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = new TensorScope();
            if (backward)
            {
                x.ZeroGrad(setToNone: false);
                foreach (var p in parameters) p.ZeroGrad(setToNone: false);
                var y = model.Forward(x);
                y.Backward(upstream);
                if (i == warmup + calls - 1) output = y.Detach().ToFloatArray();
            }
            else
            {
                using var _ = new NoGrad();
                var y = model.Forward(x);
                if (i == warmup + calls - 1) output = y.ToFloatArray();
            }
        }
        clock.Stop();
        var checks = new Dictionary<string, double> { ["Σ|y|"] = Measured.SumAbs(output) };
        if (backward)
        {
            checks["Σ|dW|"] = Measured.SumAbs(model.NamedParameters().First(p => p.Key == "0.weight").Value.Grad!.ToFloatArray());
            checks["Σ|dx|"] = Measured.SumAbs(x.Grad!.ToFloatArray());
        }
        return new Measured(clock.Elapsed.TotalSeconds / calls, checks);
    }

    private static (Sequential Model, List<(Tensor X, Tensor Y)> Batches) Build(Workload work)
    {
        var model = work.Architecture.Build(new Generator(0));
        model.LoadStateDict(work.InitialWeights.ToDictionary(w => w.Name, w => Tensor.FromArray(w.Values, new Shape([.. w.Shape.Select(d => (int)d)]))));
        var batches = work.Batches.Select(b => (Tensor.FromArray(b.X, new Shape(work.BatchShape(b.Y.Length))), Tensor.FromArray(b.Y.Select(v => (float)v).ToArray()))).ToList();
        return (model, batches);
    }

    private static Optimizer CreateOptimizer(OptimizerChoice choice, Module model) => choice.Kind switch
    {
        "sgd" => new Sgd(model.Parameters(), choice.LearningRate, momentum: choice.Momentum),
        "adam" => new Adam(model.Parameters(), choice.LearningRate, OptimizerChoice.Beta1, OptimizerChoice.Beta2, OptimizerChoice.Eps),
        _ => throw new ArgumentException($"optimizer '{choice.Kind}'"),
    };

    /// <summary>
    /// <paramref name="calls"/> products of the two square inputs after <paramref name="warmup"/>, each result back to the
    /// pool (one <see cref="TensorScope"/> per call); seconds per call, and Σ|C| of one more product after the clock stops.
    /// </summary>
    public static Measured GemmCalls((float[] A, float[] B) inputs, int warmup, int calls)
    {
        int size = (int)Math.Sqrt(inputs.A.Length);
        var a = Tensor.FromArray(inputs.A, new Shape([size, size]));
        var b = Tensor.FromArray(inputs.B, new Shape([size, size]));
        var clock = new Stopwatch();
        for (int i = 0; i < warmup + calls; i++)
        {
            if (i == warmup) clock.Start();
            using var scope = new TensorScope();
            a.MatMul(b);
        }
        clock.Stop();
        using var last = new TensorScope();
        return new Measured(clock.Elapsed.TotalSeconds / calls, new Dictionary<string, double> { ["Σ|C|"] = Measured.SumAbs(a.MatMul(b).ToFloatArray()) });
    }

    /// <summary>
    /// Where single-sample inference goes: the whole forward; the first layer's product alone (no bias, no result kept);
    /// and the floor under any kernel that reads that layer's weights once: summing them (microseconds per call).
    /// </summary>
    public static (double Forward, double FirstProduct, double ReadWeights) InferenceProfile(Workload work, int calls)
    {
        var (model, _) = Build(work);
        model.Eval();
        var input = Tensor.FromArray(work.Batches[0].X[..work.FeatureCount], new Shape(work.BatchShape(1)));
        var weight = model.StateDict()["0.weight"];
        var weights = weight.ToFloatArray();
        using var _ = new NoGrad();
        float sink = 0;
        return (Time(() => model.Forward(input)), Time(() => input.Linear(weight)), Time(() => sink += ReadAll(weights)));

        double Time(Action call)
        {
            for (int i = 0; i < calls / 10; i++) call();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) call();
            return clock.Elapsed.TotalMicroseconds / calls;
        }
    }

    /// <summary>Adds every value with four independent accumulators, so that only the speed of reading memory limits it.</summary>
    private static float ReadAll(float[] values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector256<float>>(values);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i + 4 <= vectors.Length; i += 4)
        {
            s0 += vectors[i];
            s1 += vectors[i + 1];
            s2 += vectors[i + 2];
            s3 += vectors[i + 3];
        }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }

    /// <summary>Microseconds per forward pass of the first example alone, in eval mode without a graph; the check is Σ|output|.</summary>
    public static Measured InferenceMicroseconds(Workload work, int calls)
    {
        var (model, _) = Build(work);
        model.Eval();
        var input = Tensor.FromArray(work.Batches[0].X[..work.FeatureCount], new Shape(work.BatchShape(1)));
        using var _ = new NoGrad();
        for (int i = 0; i < calls / 10; i++) model.Forward(input);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) model.Forward(input);
        double microseconds = clock.Elapsed.TotalMicroseconds / calls;
        return new Measured(microseconds, new Dictionary<string, double> { ["Σ|output|"] = Measured.SumAbs(model.Forward(input).ToFloatArray()) });
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        var (spec, model, batches) = Build(work);
        var trainer = new Trainer(model, spec.CreateLoss(), new Sgd(model.Parameters(), lr));

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        foreach (var (x, y) in batches) trainer.Step(x, y);
        double seconds = clock.Elapsed.TotalSeconds;
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)batches.Count;
        return (work.Samples / seconds, Evaluator.Evaluate(model, spec.CreateLoss(), work.Test).Accuracy!.Value, bytes);
    }

    /// <summary>One epoch of the same steps as <see cref="Trainer.Step"/>, each phase timed on its own.</summary>
    public static StepProfile ProfileEpoch(Workload work, double lr)
    {
        var (spec, model, batches) = Build(work);
        var optimizer = new Sgd(model.Parameters(), lr);
        var loss = spec.CreateLoss();
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

    private static (ModelSpec Spec, Module Model, List<(Tensor X, Tensor Y)> Batches) Build(Workload work)
    {
        var spec = new ModelSpec(work.Layers, Activation.ReLU, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(0));
        model.LoadStateDict(work.InitialWeights.ToDictionary(w => w.Name, w => Tensor.FromArray(w.Values, new Shape([.. w.Shape.Select(d => (int)d)]))));
        var batches = work.Batches.Select(b => (Tensor.FromArray(b.X, [b.Y.Length, work.Layers[0]]), Tensor.FromArray(b.Y.Select(v => (float)v).ToArray()))).ToList();
        return (spec, model, batches);
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

    /// <summary>
    /// Where single-sample inference goes: the whole forward; the first layer's product alone (no bias, no result kept);
    /// and the floor under any kernel that reads that layer's weights once: summing them (microseconds per call).
    /// </summary>
    public static (double Forward, double FirstProduct, double ReadWeights) InferenceProfile(Workload work, int calls)
    {
        var spec = new ModelSpec(work.Layers, Activation.ReLU, LossKind.CrossEntropy);
        var model = spec.Build(new Generator(0));
        model.Eval();
        var input = Tensor.FromArray(work.Batches[0].X[..work.Layers[0]], [1, work.Layers[0]]);
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

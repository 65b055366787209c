using System.Text.Json;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Tests.NN;
using Xunit.Abstractions;

namespace Backprop.Tests.Training;

/// <summary>
/// Text training replayed against PyTorch: each run of Fixtures/PyTorch/text-training/text-training.json (written by
/// scripts/make-pytorch-text-fixtures.py with PyTorch 1.13; the folder's README.md gives every run's settings) starts from
/// PyTorch's initial weights (a safetensors file without metadata, PyTorch's state-dict keys) and takes ten steps on
/// text.txt with the library's own pieces (TextCorpus, TextWindowLoader in order, Loss.CrossEntropy, the optimizer,
/// Optimizer.DecayMatricesOnly, WarmupCosineLR, ClipGrad.Norm): every step's learning rate, loss and gradient norm, and
/// every final weight, must be PyTorch's. And a GPT trained by PyTorch gives PyTorch's validation loss and greedy text.
/// </summary>
public class TextTrainingParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every step's loss and gradient norm and every final weight within 1e-5, absolute, as the issue asks. Float32 on
    /// both sides, summed in different orders; Adam's normalised update carries rounding-sized gradient differences into
    /// the weights, most of all in c_attn's key bias, whose exact gradient is zero (a constant added to all of a query's
    /// scores), so its gradient is rounding alone (the GPT run with biases keeps its lr at 3e-3 for that reason). Largest
    /// differences measured: 1.7e-6 for a loss (the first step of gpt-adamw-cosine, 7 float32 steps of a 3.77), 1.7e-6 for
    /// a final weight (the LSTM's weight_hh_l0, and that key bias); each run prints its own.
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = PyTorchFixture.Load("text-training/text-training.json");

    public static TheoryData<string> Runs() => [.. PyTorchFixture.Names(Fixture.GetProperty("runs"))];

    [Fact]
    public void TheTextIsSplitAsPyTorchSplitIt()
    {
        var corpus = Corpus();
        Assert.Equal(Fixture.GetProperty("vocabulary").GetString(), string.Concat(((CharTokenizer)corpus.Tokenizer).Vocabulary));
        Assert.Equal(Fixture.GetProperty("characters").GetInt32(), corpus.Tokens.Count);
        Assert.Equal(Fixture.GetProperty("train_tokens").GetInt32(), corpus.Train.Count);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void TenStepsMatchPyTorch(string name)
    {
        var run = PyTorchFixture.Named(Fixture.GetProperty("runs"), name);
        var corpus = Corpus();
        var model = Build(run, corpus.Tokenizer.VocabularySize);
        var initial = Safetensors.Load(File($"{name}-init.safetensors"));
        Assert.Empty(initial.Metadata);
        Assert.Equal(initial.Tensors.Keys, model.StateDict().Keys); // PyTorch's keys, in PyTorch's order
        model.LoadStateDict(initial.Tensors);

        var optimizer = CreateOptimizer(run, model.Parameters());
        LRScheduler? schedule = run.TryGetProperty("schedule", out var s)
            ? new WarmupCosineLR(optimizer, s.GetProperty("warmup_steps").GetInt32(), s.GetProperty("decay_steps").GetInt32(), s.GetProperty("min_lr").GetDouble())
            : null;
        double? clip = run.TryGetProperty("clip_grad_norm", out var c) ? c.GetDouble() : null;
        var loader = new TextWindowLoader(corpus.Train, run.GetProperty("batch_size").GetInt32(), run.GetProperty("block_size").GetInt32(), shuffle: false);

        var losses = new FixtureDifference(Tolerance, absolute: true);
        var weights = new FixtureDifference(Tolerance, absolute: true);
        int step = 0;
        foreach (var expected in run.GetProperty("steps").EnumerateArray())
        {
            Assert.Equal(expected.GetProperty("lr").GetDouble(), optimizer.LearningRate, 1e-15);
            var batch = loader.NextBatch();
            var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets);
            loss.Backward();
            losses.Compare($"step {step} loss", loss.Item(), expected.GetProperty("loss").GetSingle());
            if (clip is { } maxNorm) losses.Compare($"step {step} gradient norm", ClipGrad.Norm(model.Parameters(), maxNorm), expected.GetProperty("grad_norm").GetSingle());
            optimizer.Step();
            schedule?.Step();
            optimizer.ZeroGrad();
            step++;
        }
        Assert.Equal(10, step);

        var final = Safetensors.Load(File($"{name}-final.safetensors")).Tensors;
        var state = model.StateDict();
        Assert.Equal(final.Keys, state.Keys);
        foreach (var (key, value) in final) weights.Compare(key, state[key], value);
        output.WriteLine($"{name}: losses and gradient norms: {losses}; final weights: {weights}");
        losses.AssertPassed();
        weights.AssertPassed();
    }

    [Fact]
    public void PyTorchTrainedGptGivesPyTorchsValidationLossAndGreedyText()
    {
        var trained = Fixture.GetProperty("trained");
        var model = TextLayersParityTests.Gpt(trained.GetProperty("config"));
        var file = Safetensors.Load(File(trained.GetProperty("file").GetString()!));
        Assert.Empty(file.Metadata);
        model.LoadStateDict(file.Tensors);
        model.Eval();
        var corpus = Corpus();
        using var _ = new NoGrad();

        // Backprop's eval: every whole window of the validation split, ⌊(n − 1)/T⌋ of them, in order, in one batch; the mean over all predictions.
        var windows = new TextWindowLoader(corpus.Validation, (corpus.Validation.Count - 1) / model.BlockSize, model.BlockSize, shuffle: false);
        Assert.Equal(trained.GetProperty("val_windows").GetInt32(), windows.WindowCount);
        var batch = windows.NextBatch();
        double loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets).Item();
        double expectedLoss = trained.GetProperty("val_loss").GetSingle();
        output.WriteLine($"validation loss {loss:G9}, PyTorch's {expectedLoss:G9}, difference {Math.Abs(loss - expectedLoss):G3}");
        Assert.Equal(expectedLoss, loss, 1e-4);

        // Greedy decoding with the model's Forward: the argmax of the last position's logits, the context cropped to block_size.
        string prompt = trained.GetProperty("prompt").GetString()!;
        var tokens = corpus.Tokenizer.Encode(prompt).Select(t => (long)t).ToList();
        Assert.Equal(trained.GetProperty("prompt_tokens").EnumerateArray().Select(t => t.GetInt64()), tokens);
        var generated = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            var context = tokens.Skip(Math.Max(0, tokens.Count - model.BlockSize)).ToArray();
            var logits = model.Forward(Tensor.FromArray(context, new Shape(1, context.Length))).ToDoubleArray();
            var last = logits.AsSpan((context.Length - 1) * model.VocabSize, model.VocabSize);
            int next = 0;
            for (int v = 1; v < last.Length; v++) if (last[v] > last[next]) next = v;
            generated.Add(next);
            tokens.Add(next);
        }
        Assert.Equal(trained.GetProperty("greedy_tokens").EnumerateArray().Select(t => t.GetInt32()), generated);
        Assert.Equal(trained.GetProperty("greedy_text").GetString(), corpus.Tokenizer.Decode([.. generated]));
    }

    private static string File(string name) => PyTorchFixture.File($"text-training/{name}");

    private static TextCorpus Corpus() => TextCorpus.Read(File(Fixture.GetProperty("text").GetString()!));

    /// <summary>The run's model: nanoGPT's GPT, or its Sequential from the architecture text (keys 0.*, 1.*, 2.*).</summary>
    private static Module Build(JsonElement run, int vocabulary)
    {
        var spec = run.GetProperty("model");
        if (spec.TryGetProperty("vocab_size", out var size))
        {
            Assert.Equal(vocabulary, size.GetInt32());
            return TextLayersParityTests.Gpt(spec);
        }
        return Architecture.Parse(run.GetProperty("architecture").GetString()!).Build();
    }

    /// <summary>The run's optimizer: PyTorch's hyperparameters, weight decay on matrices only where nanoGPT's groups put it.</summary>
    private static Optimizer CreateOptimizer(JsonElement run, IEnumerable<Tensor> parameters)
    {
        double lr = run.GetProperty("lr").GetDouble(), weightDecay = run.GetProperty("weight_decay").GetDouble();
        bool matricesOnly = run.TryGetProperty("decay_matrices_only", out var m) && m.GetBoolean();
        double Beta(int i) => run.GetProperty("betas")[i].GetDouble();
        return run.GetProperty("optimizer").GetString() switch
        {
            "AdamW" => new AdamW(parameters, lr, Beta(0), Beta(1), run.GetProperty("eps").GetDouble(), weightDecay) { DecayMatricesOnly = matricesOnly },
            "Adam" => new Adam(parameters, lr, Beta(0), Beta(1), run.GetProperty("eps").GetDouble(), weightDecay) { DecayMatricesOnly = matricesOnly },
            "SGD" => new Sgd(parameters, lr, run.GetProperty("momentum").GetDouble(), weightDecay: weightDecay),
            var other => throw new ArgumentException($"no Backprop optimizer for PyTorch's {other}"),
        };
    }
}

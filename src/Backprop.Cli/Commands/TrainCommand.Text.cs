using System.CommandLine;
using System.Globalization;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary><c>backprop train --data FILE.txt</c>: a language model on a text corpus, nanoGPT's loop.</summary>
internal sealed partial class TrainCommand
{
    /// <summary>Whether --data names a text corpus (a .txt file) rather than images or a table.</summary>
    public static bool IsText(string path) => path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);

    private int TrainText(ParseResult parsed, ProcessGroup? group, TextWriter output, bool writes)
    {
        if (parsed.GetValue(steps) is not (> 0 and var stepCount)) throw new ArgumentException($"{steps.Name}: a text run has no epochs; give the number of optimizer steps, such as {steps.Name} 2000");
        if (parsed.GetResult(epochs) is { Implicit: false }) throw new ArgumentException($"{epochs.Name}: a text run has no epochs; it runs for {steps.Name}");
        // gpt2's vocabulary is fixed; char's is the file's own characters (null: built while reading it).
        var corpus = TextCorpus.Read(parsed.GetValue(data)!, parsed.GetValue(text.Tokenizer) == "gpt2" ? new Gpt2Tokenizer() : null);
        var description = DescribeText(parsed, corpus.Tokenizer);
        int blockSize = description.BlockSize!.Value;
        corpus.RequireWindows(blockSize);

        var generator = new Generator((ulong)parsed.GetValue(seed));
        var model = parsed.GetValue(init) is { } initPath ? ModelFile.LoadWeights(initPath, description, generator) : description.Build(generator);
        using var parallel = group is null ? null : new DistributedDataParallel(model, group);
        var optimizerChoice = OptimizerChoice.Named(parsed.GetValue(optimizer)!);
        var settings = optimizerChoice.Settings(parsed.GetValue(lr), parsed.GetValue(momentum), parsed.GetValue(weightDecay), text.ParseBetas(parsed),
            parsed.GetValue(text.WeightDecayOn) == "matrices");
        var trainer = new Trainer(model, description.Loss, optimizerChoice.Build(model.Parameters(), settings), description.CreateTask())
        {
            Distributed = parallel,
            ClipGradNorm = parsed.GetValue(text.ClipGradNorm),
            Checkpoints = checkpoints.Policy(parsed, TextRunConfiguration(parsed, description)) is { } policy
                ? policy with { EverySteps = parsed.GetValue(text.EvalInterval) is > 0 and var every ? every : policy.EverySteps }
                : null,
        };
        int batch = parsed.GetValue(batchSize);
        // Each rank draws its own windows: its generator is seeded with the seed plus its rank.
        var windows = group is null ? generator : new Generator((ulong)(parsed.GetValue(seed) + group.Rank));
        var loader = new TextWindowLoader(corpus.Train, batch, blockSize, shuffle: !parsed.GetValue(noShuffle), windows);
        var scheduler = Schedule(parsed, trainer.Optimizer, stepCount);
        var evaluation = parsed.GetValue(text.EvalInterval) is > 0 and var interval
            ? new TextEvaluation(Estimates(corpus.Train, 1), Estimates(corpus.Validation, 2), interval, parsed.GetValue(text.EvalIters))
            : null;
        TextWindowLoader Estimates(TokenSequence split, int stream) =>
            new(split, batch, blockSize, shuffle: true, new Generator((ulong)parsed.GetValue(seed) * 1000 + (ulong)stream + 100 * (ulong)(group?.Rank ?? 0)));
        if (parsed.GetValue(checkpoints.Resume) is { } resumeDirectory) ResumeText(trainer, resumeDirectory, loader, output);

        output.WriteLine($"training {description.Architecture} on {corpus.Name}: {corpus.Train.Count:N0} training and {corpus.Validation.Count:N0} validation tokens, " +
            $"{corpus.Tokenizer.Name} vocabulary of {corpus.Tokenizer.VocabularySize}, windows of {blockSize}, batches of {batch}; {Threads.Count} threads, {VectorPath.Name} kernels" +
            (group is null ? "" : $"; {group.WorldSize} processes"));
        string savePath = parsed.GetValue(save)!;
        var progress = new TextProgress(output, stepCount, blockSize);
        trainer.BatchCompleted += progress.Step;
        trainer.TextEvaluated += report =>
        {
            progress.Evaluated(report);
            // The best model by validation loss is the one kept, as nanoGPT keeps its best checkpoint.
            if (report.IsBest && writes) ModelFile.Save(savePath, model, description);
        };
        using var metrics = writes && parsed.GetValue(log) is { } logPath ? new TextMetricsLog(logPath) : null;
        if (metrics is not null) trainer.TextEvaluated += metrics.Write;
        try
        {
            using var anomalies = parsed.GetValue(detectAnomaly) ? new Autograd.DetectAnomaly() : null;
            trainer.Fit(loader, stepCount, evaluation, scheduler);
        }
        catch (NonFiniteLossException e)
        {
            throw new InvalidOperationException($"training stopped: {e.Problem}; lower {lr.Name}, or add {detectAnomaly.Name} to find the op that made it", e);
        }

        var result = Evaluator.Evaluate(model, description.Loss, corpus.Validation, blockSize);
        output.WriteLine($"training: {progress.TokensPerSecond:N0} tokens/s, evaluation apart");
        output.WriteLine($"final val loss {result.Loss:F4} over the whole validation split ({result.Count:N0} predictions)");
        if (evaluation is null && writes) ModelFile.Save(savePath, model, description);
        output.WriteLine(evaluation is null ? $"saved {savePath}" : $"saved {savePath} (the model with the best val loss, {progress.BestValidationLoss:F4})");
        return 0;
    }

    /// <summary>The text model --arch describes for <paramref name="tokenizer"/>'s vocabulary, reading windows of --block-size (or a GPT's block_size).</summary>
    private ModelDescription DescribeText(ParseResult parsed, Tokenizer tokenizer)
    {
        if (parsed.GetValue(architecture.Arch) is not { } arch) throw new ArgumentException($"give the network with {architecture.Arch.Name}, such as \"GPT(vocab_size={tokenizer.VocabularySize}, block_size=64, n_layer=4, n_head=4, n_embd=128)\"");
        if (parsed.GetValue(architecture.Layers) is not null) throw new ArgumentException($"{architecture.Layers.Name}: an MLP does not read text; give {architecture.Arch.Name}");
        return TextModelDescription.Describe(ArchText.Resolve(arch), tokenizer, parsed.GetValue(text.BlockSize));
    }

    /// <summary>The per-step schedule --schedule names, or null for a constant rate.</summary>
    private LRScheduler? Schedule(ParseResult parsed, Optimizer optimizer, int stepCount)
    {
        if (parsed.GetValue(text.Schedule) != "cosine")
        {
            foreach (var option in new Option[] { text.WarmupSteps, text.MinLr })
            {
                if (parsed.GetResult(option) is { Implicit: false }) throw new ArgumentException($"{option.Name} applies to {text.Schedule.Name} cosine");
            }
            return null;
        }
        int warmup = parsed.GetValue(text.WarmupSteps);
        if (warmup >= stepCount) throw new ArgumentException($"{text.WarmupSteps.Name} {warmup} must be fewer than the {stepCount} {steps.Name}");
        return new WarmupCosineLR(optimizer, warmup, stepCount, parsed.GetValue(text.MinLr) ?? optimizer.InitialLearningRate / 10);
    }

    private void ResumeText(Trainer trainer, string directory, TextWindowLoader loader, TextWriter output)
    {
        var resumed = checkpoints.ResumeWith(directory, Flags, () => trainer.Resume(directory, loader));
        output.WriteLine($"resuming from {Training.Checkpoint.PathIn(directory)}: {resumed.Step} steps done");
    }

    /// <summary>A text run's configuration beyond the trainer's own entries: the corpus, the network, the seed, the initial weights.</summary>
    private Dictionary<string, string> TextRunConfiguration(ParseResult parsed, ModelDescription description) => new()
    {
        ["data"] = Path.GetFullPath(parsed.GetValue(data)!),
        ["seed"] = parsed.GetValue(seed).ToString(CultureInfo.InvariantCulture),
        ["init"] = parsed.GetValue(init) is { } initFile ? Path.GetFullPath(initFile) : "",
        ["architecture"] = description.Architecture.ToString(),
        ["schedule"] = $"{parsed.GetValue(text.Schedule)} {parsed.GetValue(text.WarmupSteps)} {parsed.GetValue(text.MinLr)}",
        ["steps"] = parsed.GetValue(steps).ToString(CultureInfo.InvariantCulture), // the cosine decays over them
    };
}

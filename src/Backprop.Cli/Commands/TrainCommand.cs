using System.CommandLine;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop train</c>: trains a network (--arch, or the MLP shorthand --layers) on IDX or CSV data, or a language model on
/// a text file, and saves it as safetensors.
/// </summary>
internal sealed partial class TrainCommand
{
    private readonly Option<string> data = new("--data") { Description = "A directory of MNIST-style IDX files, a CSV file, or a text file (.txt: a corpus for a language model)", Required = true };
    private readonly Option<string?> target = new("--target") { Description = "CSV only: the target column, by name or 0-based index (default: the last)" };
    private readonly HeaderOption header = new();
    private readonly ArchitectureOptions architecture = new();
    private readonly Option<string> optimizer = CheckedOption.Choice("--optimizer", "The optimizer", "sgd", OptimizerChoice.Names);
    private readonly Option<double?> lr = CheckedOption.OptionalDouble("--lr", $"Learning rate (default: {OptimizerChoice.Defaults(c => c.LearningRate)})",
        v => v <= 0 ? "must be greater than 0" : null);
    private readonly Option<double?> momentum = CheckedOption.OptionalDouble("--momentum", $"Momentum, for the optimizers that have one (default: {OptimizerChoice.Defaults(c => c.Momentum)})",
        v => v < 0 ? "must not be negative" : null);
    private readonly Option<double?> weightDecay = CheckedOption.OptionalDouble("--weight-decay", $"Weight decay: L2, decoupled for adamw (default: {OptimizerChoice.Defaults(c => c.WeightDecay)})",
        v => v < 0 ? "must not be negative" : null);
    private readonly Option<int> batchSize = CheckedOption.Int("--batch-size", "Examples per batch", 64, v => v < 1 ? "must be at least 1" : null);
    private readonly Option<int> epochs = CheckedOption.Int("--epochs", "Passes over the training data", 5, v => v < 1 ? "must be at least 1" : null);
    private readonly Option<int> steps = CheckedOption.Int("--steps", "Stop after this many optimizer steps (0: no limit)", 0, v => v < 0 ? "must not be negative" : null);
    private readonly Option<int> seed = CheckedOption.Int("--seed", "Seed for initial weights and shuffling", 1, v => v < 0 ? "must not be negative" : null);
    private readonly Option<bool> noShuffle = new("--no-shuffle") { Description = "Take batches in file order" };
    private readonly Option<string?> init = new("--init") { Description = "Start from the weights in this safetensors file" };
    private readonly Option<string> save = new("--save") { Description = "Where to save the trained model (safetensors)", Required = true };
    private readonly Option<string?> log = new("--log") { Description = "Write per-epoch metrics to this CSV file" };
    private readonly Option<bool> detectAnomaly = new("--detect-anomaly") { Description = "Check every op's values and gradients for NaN and infinity, and stop at the first, naming the op and the layer (slower)" };
    private readonly CheckpointOptions checkpoints = new();
    private readonly DistributedOptions distributed = new();
    private readonly TextTrainingOptions text = new();

    public static Command Create()
    {
        var train = new TrainCommand();
        var command = new Command("train", "Train a network by backpropagation: any sequential network (--arch) or an MLP (--layers)") { train.data, train.target, train.header.Option };
        train.architecture.AddTo(command);
        train.checkpoints.AddTo(command);
        train.distributed.AddTo(command);
        foreach (var option in new Option[] { train.optimizer, train.lr, train.momentum, train.weightDecay, train.batchSize, train.epochs, train.steps, train.seed, train.noShuffle, train.init, train.save, train.log, train.detectAnomaly }.Concat(train.text.All))
        {
            command.Options.Add(option);
        }
        command.SetAction(train.Run);
        return command;
    }

    private int Run(ParseResult parsed)
    {
        using var group = distributed.Start(parsed);
        try
        {
            return Train(parsed, group);
        }
        catch (Exception e) when (group is { WorldSize: > 1 })
        {
            // The other ranks would wait for this one in their next collective until it timed out: end the job now, saying why.
            group.Abort($"backprop: {e.Message}");
            throw;
        }
    }

    private int Train(ParseResult parsed, ProcessGroup? group)
    {
        // Rank 0 prints and writes the files; the other ranks train silently beside it.
        bool writes = group is null || group.Rank == 0;
        var output = writes ? parsed.InvocationConfiguration.Output : TextWriter.Null;
        OutputPath.Check(save.Name, parsed.GetValue(save));
        OutputPath.Check(log.Name, parsed.GetValue(log));
        if (IsText(parsed.GetValue(data)!)) return TrainText(parsed, group, output, writes);
        text.RequireText(parsed);
        var optimizerChoice = OptimizerChoice.Named(parsed.GetValue(optimizer)!);
        var settings = optimizerChoice.Settings(parsed.GetValue(lr), parsed.GetValue(momentum), parsed.GetValue(weightDecay), text.ParseBetas(parsed),
            parsed.GetValue(text.WeightDecayOn) == "matrices");
        var (description, train, test) = Load(parsed, output);

        var generator = new Generator((ulong)parsed.GetValue(seed));
        // Weights from --init are checked against the network before it is built: a file that does not fit allocates nothing.
        var model = parsed.GetValue(init) is { } initPath ? ModelFile.LoadWeights(initPath, description, generator) : description.Build(generator);
        // Every rank builds the same model from the seed, and DistributedDataParallel copies rank 0's weights to all anyway.
        using var parallel = group is null ? null : new DistributedDataParallel(model, group);
        var trainer = new Trainer(model, description.Loss, optimizerChoice.Build(model.Parameters(), settings), description.CreateTask())
        {
            Distributed = parallel,
            ClipGradNorm = parsed.GetValue(text.ClipGradNorm),
            Checkpoints = checkpoints.Policy(parsed, RunConfiguration(parsed, description)),
        };
        var loader = group is null
            ? new DataLoader(train, parsed.GetValue(batchSize), shuffle: !parsed.GetValue(noShuffle), generator)
            : new DataLoader(train, parsed.GetValue(batchSize), new DistributedSampler(train.Count, group.WorldSize, group.Rank, shuffle: !parsed.GetValue(noShuffle), seed: (ulong)parsed.GetValue(seed)));
        checkpoints.Apply(parsed, trainer, loader, output, Flags);

        string network = $"{description.Architecture} ([{string.Join(", ", description.InputShape.ToArray())}] inputs";
        output.WriteLine($"training {network}, {description.Loss.Name}) on {train.Count} examples" +
            (ReferenceEquals(train, test) ? " (no separate test set: evaluating on the training data)" : $", testing on {test.Count}") +
            $"; {Threads.Count} threads, {VectorPath.Name} kernels" +
            (group is null ? "" : $"; {group.WorldSize} processes with batches of {parsed.GetValue(batchSize)} each"));
        using var metrics = writes && parsed.GetValue(log) is { } logPath ? new MetricsLog(logPath) : null;
        if (metrics is not null) trainer.EpochCompleted += metrics.Write;
        Fit(parsed, output, trainer, loader, test);

        var result = trainer.Evaluate(test);
        output.WriteLine($"test: loss {result.Loss:F4}" + (result.Accuracy is { } accuracy ? $", accuracy {accuracy:P2}" : "") + $" ({result.Count} examples)");
        string savePath = parsed.GetValue(save)!;
        if (writes) ModelFile.Save(savePath, model, description);
        output.WriteLine($"saved {savePath}");
        return 0;
    }

    /// <summary>The network the options describe, met with the data: its training and test sets in the network's input shape.</summary>
    private (ModelDescription Description, Dataset Train, Dataset Test) Load(ParseResult parsed, TextWriter output)
    {
        // Read once: the network is described from the examples' shape, then the targets take the type its task reads.
        var source = DataSource.Read(parsed.GetValue(data)!, parsed.GetValue(target), header.Get(parsed));
        var description = architecture.Describe(parsed, () => source.ExampleShape)
            ?? throw new ArgumentException($"give the network: {architecture.Arch.Name} or {architecture.Layers.Name}");
        var (train, test) = source.Sets(description.CreateTask());
        // Each example in the network's input shape (an MLP takes rows); a CSV file's one set stays one set.
        var fitted = description.Fit(train);
        (train, test) = (fitted, ReferenceEquals(train, test) ? fitted : description.Fit(test));
        // What the first row of a CSV file was taken for, once the data has been found to fit (an error prints only itself).
        if (source.HeaderNote is { } note) output.WriteLine(note);
        return (description, train, test);
    }

    /// <summary>Trains to --epochs or --steps, with the progress shown on <paramref name="output"/>.</summary>
    private void Fit(ParseResult parsed, TextWriter output, Trainer trainer, DataLoader loader, Dataset test)
    {
        int epochCount = parsed.GetValue(epochs);
        int? maxSteps = parsed.GetValue(steps) is > 0 and var n ? n : null;
        ProgressView.Run(output, trainer, epochCount, () =>
        {
            using var anomalies = parsed.GetValue(detectAnomaly) ? new Autograd.DetectAnomaly() : null;
            try
            {
                trainer.Fit(loader, epochCount, maxSteps, test);
            }
            catch (NonFiniteLossException e)
            {
                throw new InvalidOperationException($"training stopped: {e.Problem}; lower {lr.Name}, or add {detectAnomaly.Name} to find the op that made it", e);
            }
        });
    }

    /// <summary>
    /// What decides the run beyond what the trainer records itself (the loss, the optimizer and its settings, the batch
    /// size, shuffling, the processes): the data, the network, the seed and the initial weights. A resumed run must match.
    /// </summary>
    private Dictionary<string, string> RunConfiguration(ParseResult parsed, ModelDescription description) => new()
    {
        ["data"] = Path.GetFullPath(parsed.GetValue(data)!),
        ["target"] = parsed.GetValue(target) ?? "",
        ["header"] = parsed.GetValue(header.Option)!,
        ["seed"] = parsed.GetValue(seed).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["init"] = parsed.GetValue(init) is { } initFile ? Path.GetFullPath(initFile) : "",
        ["architecture"] = description.Architecture.ToString(), // --layers too, as the Linear layers it stands for
    };

    /// <summary>The option behind each entry of a run's configuration, to name it when a resume is refused.</summary>
    private Dictionary<string, string> Flags => new()
    {
        ["data"] = data.Name,
        ["target"] = target.Name,
        ["header"] = header.Option.Name,
        ["seed"] = seed.Name,
        ["init"] = init.Name,
        ["architecture"] = architecture.Arch.Name,
        ["loss"] = architecture.Loss.Name,
        ["optimizer"] = optimizer.Name,
        ["lr"] = lr.Name,
        ["momentum"] = momentum.Name,
        ["weight_decay"] = weightDecay.Name,
        ["batch_size"] = batchSize.Name,
        ["world_size"] = distributed.Distributed.Name,
        ["block_size"] = text.BlockSize.Name,
        ["clip_grad_norm"] = text.ClipGradNorm.Name,
        ["schedule"] = text.Schedule.Name,
        ["steps"] = steps.Name,
        ["betas"] = text.Betas.Name,
        ["decay_matrices_only"] = text.WeightDecayOn.Name,
    };
}

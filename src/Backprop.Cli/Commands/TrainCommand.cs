using System.CommandLine;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary><c>backprop train</c>: trains a network (--arch, or the MLP shorthand --layers) on IDX or CSV data and saves it as safetensors.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A directory of MNIST-style IDX files, or a CSV file", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV only: the target column, by name or 0-based index (default: the last)" };
        var header = new HeaderOption();
        var architecture = new ArchitectureOptions();
        var optimizer = CheckedOption.Choice("--optimizer", "The optimizer", "sgd", OptimizerChoice.Names);
        var lr = CheckedOption.OptionalDouble("--lr", $"Learning rate (default: {OptimizerChoice.Defaults(c => c.LearningRate)})",
            v => v <= 0 ? "must be greater than 0" : null);
        var momentum = CheckedOption.OptionalDouble("--momentum", $"Momentum, for the optimizers that have one (default: {OptimizerChoice.Defaults(c => c.Momentum)})",
            v => v < 0 ? "must not be negative" : null);
        var weightDecay = CheckedOption.OptionalDouble("--weight-decay", $"Weight decay: L2, decoupled for adamw (default: {OptimizerChoice.Defaults(c => c.WeightDecay)})",
            v => v < 0 ? "must not be negative" : null);
        var batchSize = CheckedOption.Int("--batch-size", "Examples per batch", 64, v => v < 1 ? "must be at least 1" : null);
        var epochs = CheckedOption.Int("--epochs", "Passes over the training data", 5, v => v < 1 ? "must be at least 1" : null);
        var steps = CheckedOption.Int("--steps", "Stop after this many optimizer steps (0: no limit)", 0, v => v < 0 ? "must not be negative" : null);
        var seed = CheckedOption.Int("--seed", "Seed for initial weights and shuffling", 1, v => v < 0 ? "must not be negative" : null);
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "Take batches in file order" };
        var init = new Option<string?>("--init") { Description = "Start from the weights in this safetensors file" };
        var save = new Option<string>("--save") { Description = "Where to save the trained model (safetensors)", Required = true };
        var log = new Option<string?>("--log") { Description = "Write per-epoch metrics to this CSV file" };
        var detectAnomaly = new Option<bool>("--detect-anomaly") { Description = "Check every op's values and gradients for NaN and infinity, and stop at the first, naming the op and the layer (slower)" };
        var checkpoints = new CheckpointOptions();
        var distributed = new DistributedOptions();

        var command = new Command("train", "Train a network by backpropagation: any sequential network (--arch) or an MLP (--layers)") { data, target, header.Option };
        architecture.AddTo(command);
        checkpoints.AddTo(command);
        distributed.AddTo(command);
        foreach (var option in new Option[] { optimizer, lr, momentum, weightDecay, batchSize, epochs, steps, seed, noShuffle, init, save, log, detectAnomaly })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            using var group = distributed.Start(parsed);
            try
            {
                return Train();
            }
            catch (Exception e) when (group is { WorldSize: > 1 })
            {
                // The other ranks would wait for this one in their next collective until it timed out: end the job now, saying why.
                group.Abort($"backprop: {e.Message}");
                throw;
            }

            int Train()
            {
                // Rank 0 prints and writes the files; the other ranks train silently beside it.
                bool writes = group is null || group.Rank == 0;
                var output = writes ? parsed.InvocationConfiguration.Output : TextWriter.Null;
                OutputPath.Check(save.Name, parsed.GetValue(save));
                OutputPath.Check(log.Name, parsed.GetValue(log));
                var optimizerChoice = OptimizerChoice.Named(parsed.GetValue(optimizer)!);
                var settings = optimizerChoice.Settings(parsed.GetValue(lr), parsed.GetValue(momentum), parsed.GetValue(weightDecay));
                string dataPath = parsed.GetValue(data)!;
                // Read once: the network is described from the examples' shape, then the targets take the type its task reads.
                var source = DataSource.Read(dataPath, parsed.GetValue(target), header.Get(parsed));
                var description = architecture.Describe(parsed, () => source.ExampleShape)
                    ?? throw new ArgumentException($"give the network: {architecture.Arch.Name} or {architecture.Layers.Name}");
                var (train, test) = source.Sets(description.CreateTask());
                // Each example in the network's input shape (an MLP takes rows); a CSV file's one set stays one set.
                var fitted = description.Fit(train);
                (train, test) = (fitted, ReferenceEquals(train, test) ? fitted : description.Fit(test));
                // What the first row of a CSV file was taken for, once the data has been found to fit (an error prints only itself).
                if (source.HeaderNote is { } note) output.WriteLine(note);

                var generator = new Generator((ulong)parsed.GetValue(seed));
                var model = description.Build(generator);
                if (parsed.GetValue(init) is { } initPath) ModelFile.LoadWeights(initPath, model);
                var chosenOptimizer = optimizerChoice.Build(model.Parameters(), settings);
                // Every rank builds the same model from the seed, and DistributedDataParallel copies rank 0's weights to all anyway.
                using var parallel = group is null ? null : new DistributedDataParallel(model, group);
                var trainer = new Trainer(model, description.Loss.CreateLoss(), chosenOptimizer, description.CreateTask()) { Distributed = parallel };
                var loader = group is null
                    ? new DataLoader(train, parsed.GetValue(batchSize), shuffle: !parsed.GetValue(noShuffle), generator)
                    : new DataLoader(train, parsed.GetValue(batchSize), new DistributedSampler(train.Count, group.WorldSize, group.Rank, shuffle: !parsed.GetValue(noShuffle), seed: (ulong)parsed.GetValue(seed)));
                int epochCount = parsed.GetValue(epochs);
                int? maxSteps = parsed.GetValue(steps) is > 0 and var n ? n : null;

                // What decides the run's trajectory (not --epochs or --steps, which only say where it stops): a resumed run must match.
                var configuration = new Dictionary<string, string>
                {
                    ["--data"] = Path.GetFullPath(dataPath),
                    ["--target"] = parsed.GetValue(target) ?? "",
                    ["--loss"] = description.Loss.Name(),
                    ["--optimizer"] = optimizerChoice.Name,
                    ["--lr"] = Invariant(settings.LearningRate),
                    ["--momentum"] = Invariant(settings.Momentum),
                    ["--weight-decay"] = Invariant(settings.WeightDecay),
                    ["--batch-size"] = Invariant(parsed.GetValue(batchSize)),
                    ["--seed"] = Invariant(parsed.GetValue(seed)),
                    ["--no-shuffle"] = parsed.GetValue(noShuffle) ? "true" : "false",
                    ["--init"] = parsed.GetValue(init) is { } initFile ? Path.GetFullPath(initFile) : "",
                };
                if (description.Mlp is { } mlp)
                {
                    configuration["--layers"] = string.Join(',', mlp.Layers);
                    configuration["--activation"] = NN.ActivationNames.Name(mlp.Activation);
                }
                else configuration["--arch"] = description.Architecture.ToString();
                if (group is not null) configuration["--distributed"] = $"{group.WorldSize} processes";
                var (startEpoch, stepsTaken) = checkpoints.Apply(parsed, configuration, trainer, chosenOptimizer, generator, loader, output, writes);

                string network = description.Mlp is { } shorthand ? $"{string.Join('-', shorthand.Layers)} ({shorthand.Activation}" : $"{description.Architecture} ([{string.Join(", ", description.InputShape.ToArray())}] inputs";
                output.WriteLine($"training {network}, {description.Loss.Name()}) on {train.Count} examples" +
                    (ReferenceEquals(train, test) ? " (no separate test set: evaluating on the training data)" : $", testing on {test.Count}") +
                    $"; {Threads.Count} threads, {VectorPath.Name} kernels" +
                    (group is null ? "" : $"; {group.WorldSize} processes with batches of {parsed.GetValue(batchSize)} each"));
                using var metrics = writes && parsed.GetValue(log) is { } logPath ? new MetricsLog(logPath) : null;
                if (metrics is not null) trainer.EpochCompleted += metrics.Write;
                ProgressView.Run(output, trainer, epochCount, () =>
                {
                    using var anomalies = parsed.GetValue(detectAnomaly) ? new Autograd.DetectAnomaly() : null;
                    try
                    {
                        trainer.Fit(loader, epochCount, maxSteps, test, startEpoch: startEpoch, stepsTaken: stepsTaken);
                    }
                    catch (NonFiniteLossException e)
                    {
                        throw new InvalidOperationException($"training stopped: {e.Problem}; lower {lr.Name}, or add {detectAnomaly.Name} to find the op that made it", e);
                    }
                });

                var result = trainer.Evaluate(test);
                output.WriteLine($"test: loss {result.Loss:F4}" + (result.Accuracy is { } accuracy ? $", accuracy {accuracy:P2}" : "") + $" ({result.Count} examples)");
                string savePath = parsed.GetValue(save)!;
                if (writes) ModelFile.Save(savePath, model, description);
                output.WriteLine($"saved {savePath}");
                return 0;
            }
        });
        return command;
    }

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

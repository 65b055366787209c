using System.Diagnostics;
using System.Globalization;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Training;

/// <summary>
/// The training loop over any <see cref="Module"/>, loss and optimizer: for each batch, forward, loss, backward, optimizer
/// step. What the data's targets mean (classes or values) is the <see cref="TrainingTask"/>'s, by default the one the loss implies
/// (<see cref="TrainingTask.For"/>). Progress is reported through events, not printed, so a console, a log file or a test
/// can each listen. With a <see cref="Checkpoints"/> policy it saves the run as it goes, and <see cref="Resume(string, DataLoader)"/> continues a
/// saved run so that it ends with the weights an uninterrupted one would have, bit for bit.
/// </summary>
public sealed partial class Trainer
{
    /// <summary>Trains <paramref name="model"/> with <paramref name="loss"/> and <paramref name="optimizer"/> (over the model's parameters).</summary>
    public Trainer(Module model, LossModule loss, Optimizer optimizer, TrainingTask? task = null)
    {
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        TrainingTask = task ?? TrainingTask.For(loss);
    }

    /// <summary>Raised after every optimizer step.</summary>
    public event Action<BatchReport>? BatchCompleted;

    /// <summary>Raised after every epoch.</summary>
    public event Action<EpochReport>? EpochCompleted;

    /// <summary>
    /// Data-parallel training over the ranks of an MPI job, or null for this process alone. When set (on every rank, with
    /// the same model, loss, optimizer and a <see cref="DistributedSampler"/> in the loader), each step averages the
    /// gradients over the ranks before the optimizer step, so every rank takes the same step; an epoch's reported loss,
    /// accuracy and samples per second are the whole job's, and evaluation is sharded over the ranks with rank 0's
    /// buffers. Batch reports are this rank's. Only the caller decides which rank writes files or prints (rank 0, as a rule).
    /// </summary>
    public DistributedDataParallel? Distributed
    {
        get;
        init => field = value is null || value.Model == Model ? value : throw new ArgumentException("trainer: its DistributedDataParallel was made for another model than the trainer's");
    }

    /// <summary>
    /// When and where Fit saves a <see cref="Checkpoint"/>, or null for none. In a distributed run only rank 0
    /// writes it (every rank resumes from the same file).
    /// </summary>
    public CheckpointPolicy? Checkpoints { get; init; }

    /// <summary>The network being trained.</summary>
    public Module Model { get; }

    /// <summary>The cost it is trained to lower.</summary>
    public LossModule Loss { get; }

    /// <summary>The optimizer that updates the model's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>How targets are encoded for the loss and what counts as correct.</summary>
    public TrainingTask TrainingTask { get; }

    /// <summary>
    /// The largest total gradient norm a step takes, or null for no clipping: before each optimizer step the gradients of
    /// all parameters are scaled down together when their 2-norm is larger (torch.nn.utils.clip_grad_norm_, <see cref="ClipGrad.Norm"/>).
    /// </summary>
    public double? ClipGradNorm
    {
        get;
        init => field = value is null or > 0 ? value : throw new ArgumentException($"trainer: the gradient norm to clip to must be greater than 0, got {value}");
    }

    /// <summary>The checkpoint <see cref="Resume(string, DataLoader)"/> restored, where the next Fit starts; null once it has.</summary>
    private Checkpoint? resumed;

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs, or until <paramref name="maxSteps"/> optimizer steps when that comes first
    /// (the last epoch is then partial). Evaluates on <paramref name="test"/> after each epoch when given, and saves a
    /// checkpoint as <see cref="Checkpoints"/> says. After <see cref="Resume(string, DataLoader)"/> it continues from the epoch after the
    /// checkpoint's, whose steps count towards <paramref name="maxSteps"/>. Returns the number of optimizer steps taken in all.
    /// A loss that stops being finite ends training with a <see cref="NonFiniteLossException"/>.
    /// </summary>
    public int Fit(DataLoader loader, int epochs, int? maxSteps = null, Dataset? test = null, LRScheduler? scheduler = null)
    {
        // An epoch without a batch would report a loss of 0/0 and leave the model untrained without a word.
        if (loader.BatchCount == 0) throw new ArgumentException("trainer: the training data has no examples");
        var configuration = Checkpoints is null ? null : Configuration(loader);
        int step = resumed?.Step ?? 0;
        int startEpoch = (resumed?.Epoch ?? 0) + 1;
        resumed = null; // the resume point is used once; a later Fit starts from epoch 1 again
        for (int epoch = startEpoch; epoch <= epochs && (maxSteps is null || step < maxSteps); epoch++)
        {
            Model.Train();
            // A rank's share of the epoch is cut from an order seeded with the epoch, the same on every rank (PyTorch's set_epoch).
            if (loader.Sampler is DistributedSampler share) share.SetEpoch(epoch);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int seen = 0, correct = 0, batch = 0;
            using var batches = loader.GetEnumerator();
            while (maxSteps is null || step < maxSteps)
            {
                // The batch's tensors live in this scope, the step's own tensors in the step's; both give their memory back.
                using var scope = new TensorScope();
                if (!batches.MoveNext()) break;
                var (features, targets) = batches.Current;
                var result = Step(features, targets);
                step++;
                batch++;
                if (!double.IsFinite(result.Loss)) throw new NonFiniteLossException(result.Loss, step, epoch, batch);
                int size = targets.Shape[0];
                lossSum += result.Loss * size;
                correct += result.Correct ?? 0;
                seen += size;
                BatchCompleted?.Invoke(new BatchReport(epoch, batch, loader.BatchCount, step, result.Loss,
                    result.Correct is { } right ? (double)right / size : null, seen / clock.Elapsed.TotalSeconds));
            }
            clock.Stop();
            scheduler?.Step();
            if (Distributed is not null)
            {
                double[] totals = [lossSum, correct, seen];
                Distributed.Group.AllReduce<double>(totals); // the job's epoch, not this rank's share
                (lossSum, correct, seen) = (totals[0], (int)totals[1], (int)totals[2]);
            }
            var testResult = test is null ? null : Evaluate(test);
            // Only whole epochs are saved: a run cut short by maxSteps resumes from its last whole epoch.
            if (configuration is not null && batch == loader.BatchCount && epoch % Checkpoints!.EveryEpochs == 0 && Distributed?.Group.Rank is null or 0)
            {
                new Checkpoint(epoch, step, Shuffler(loader)?.GetState() ?? [], configuration).Save(Checkpoints.Directory, Model, Optimizer);
            }
            EpochCompleted?.Invoke(new EpochReport(epoch, lossSum / seen, TrainingTask is ClassificationTask ? (double)correct / seen : null,
                testResult, clock.Elapsed, seen / clock.Elapsed.TotalSeconds, step));
        }
        return step;
    }

    /// <summary>
    /// Restores the run saved in the checkpoint directory <paramref name="directory"/>: the model's weights and buffers, the
    /// optimizer's state, and the state of the generator that shuffles <paramref name="loader"/>; the next <see cref="Fit(DataLoader, int, int?, Dataset?, LRScheduler?)"/>
    /// over <paramref name="loader"/> continues from the epoch after the checkpoint's. A checkpoint written by a run
    /// configured otherwise (another optimizer or learning rate, batch size, loss, or another of
    /// <see cref="Checkpoints"/>' <see cref="CheckpointPolicy.Configuration"/> entries) is refused with a
    /// <see cref="CheckpointMismatchException"/> that names each difference, before anything is restored. Returns the
    /// checkpoint: the epoch and step it was saved at.
    /// </summary>
    public Checkpoint Resume(string directory, DataLoader loader)
    {
        var checkpoint = Checkpoint.Resume(directory, Configuration(loader), Model, Optimizer);
        Shuffler(loader)?.SetState(checkpoint.GeneratorState);
        resumed = checkpoint;
        return checkpoint;
    }

    /// <summary>
    /// What decides the run's trajectory, by the library's names: the loss, the optimizer and its hyperparameters, how the
    /// data is batched, the processes it is spread over, and the policy's own entries. Not the epochs or steps, which only
    /// say where it stops.
    /// </summary>
    private Dictionary<string, string> Configuration(DataLoader loader) =>
        Configuration(loader.BatchSize, loader.Sampler is RandomSampler or DistributedSampler { Shuffle: true });

    private Dictionary<string, string> Configuration(int batchSize, bool shuffle)
    {
        var configuration = new Dictionary<string, string>(Checkpoints?.Configuration ?? new Dictionary<string, string>())
        {
            ["loss"] = Loss.Name,
            ["optimizer"] = Optimizer.GetType().Name.ToLowerInvariant(),
            ["batch_size"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["shuffle"] = Text(shuffle),
        };
        if (ClipGradNorm is { } clip) configuration["clip_grad_norm"] = Text(clip);
        foreach (var (name, value) in Optimizer.Defaults) configuration[name] = Text(value);
        if (Distributed is not null) configuration["world_size"] = Distributed.Group.WorldSize.ToString(CultureInfo.InvariantCulture);
        return configuration;

        static string Text(object value) => value switch
        {
            bool flag => flag ? "true" : "false",
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }

    /// <summary>The generator the loader's epochs are shuffled from, whose state a checkpoint carries; null when there is none.</summary>
    private static Generator? Shuffler(DataLoader loader) => (loader.Sampler as RandomSampler)?.Generator;

    /// <summary>
    /// One optimizer step on one batch: forward, loss, backward, update, inside a <see cref="TensorScope"/> so that the
    /// step's tensors recycle their memory; gradients are zeroed in place and reused. Returns the batch's loss and, for a
    /// classification task, how many examples it got right.
    /// </summary>
    public StepResult Step(Tensor features, Tensor targets)
    {
        using var scope = new TensorScope();
        Optimizer.ZeroGrad(setToNone: false);
        var outputs = Model.Forward(features);
        Tensor value;
        using (AnomalyMode.Enter(Loss)) value = Loss.Forward(outputs, TrainingTask.EncodeTargets(targets, outputs)); // names the loss in anomaly reports

        value.Backward();
        Distributed?.ReduceGradients();
        if (ClipGradNorm is { } maxNorm) ClipGrad.Norm(Model.Parameters(), maxNorm);
        Optimizer.Step();
        return new StepResult(value.Item(), TrainingTask is ClassificationTask classification ? classification.CountCorrect(outputs, targets) : null);
    }

    /// <summary>Loss and accuracy with its confusion matrix (classification) or mean absolute error (regression) on <paramref name="data"/>.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        // Every rank evaluates the model rank 0 has (and saves), its running statistics included.
        Distributed?.BroadcastBuffers();
        return Evaluator.Evaluate(Model, Loss, data, TrainingTask, Distributed?.Group);
    }
}

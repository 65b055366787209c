using System.Diagnostics;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Training;

/// <summary>
/// The training loop over any <see cref="Module"/>, loss and optimizer: for each batch, forward, loss, backward, optimizer
/// step. What the data's targets mean (classes or values) is the <see cref="Task"/>'s, by default the one the loss implies
/// (<see cref="TrainingTask.For"/>). Progress is reported through events, not printed, so a console, a log file or a test
/// can each listen.
/// </summary>
public sealed class Trainer
{
    /// <summary>Trains <paramref name="model"/> with <paramref name="loss"/> and <paramref name="optimizer"/> (over the model's parameters).</summary>
    public Trainer(Module model, LossModule loss, Optimizer optimizer, TrainingTask? task = null)
    {
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Task = task ?? TrainingTask.For(loss);
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

    /// <summary>The network being trained.</summary>
    public Module Model { get; }

    /// <summary>The cost it is trained to lower.</summary>
    public LossModule Loss { get; }

    /// <summary>The optimizer that updates the model's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>How targets are encoded for the loss and what counts as correct.</summary>
    public TrainingTask Task { get; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs, or until <paramref name="maxSteps"/> optimizer steps when that comes first
    /// (the last epoch is then partial). Evaluates on <paramref name="test"/> after each epoch when given.
    /// A run resumed from a checkpoint starts at <paramref name="startEpoch"/> with <paramref name="stepsTaken"/> steps
    /// already behind it (they count towards <paramref name="maxSteps"/>). Returns the number of optimizer steps taken in all.
    /// A loss that stops being finite ends training with a <see cref="NonFiniteLossException"/>.
    /// </summary>
    public int Fit(DataLoader loader, int epochs, int? maxSteps = null, Dataset? test = null, LRScheduler? scheduler = null, int startEpoch = 1, int stepsTaken = 0)
    {
        // An epoch without a batch would report a loss of 0/0 and leave the model untrained without a word.
        if (loader.BatchCount == 0) throw new ArgumentException("trainer: the training data has no examples");
        int step = stepsTaken;
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
            EpochCompleted?.Invoke(new EpochReport(epoch, lossSum / seen, Task is ClassificationTask ? (double)correct / seen : null,
                testResult, clock.Elapsed, seen / clock.Elapsed.TotalSeconds, step));
        }
        return step;
    }

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
        using (AnomalyMode.Enter(Loss)) value = Loss.Forward(outputs, Task.EncodeTargets(targets, outputs)); // names the loss in anomaly reports

        value.Backward();
        Distributed?.ReduceGradients();
        Optimizer.Step();
        return new StepResult(value.Item(), Task is ClassificationTask classification ? classification.CountCorrect(outputs, targets) : null);
    }

    /// <summary>Loss and accuracy with its confusion matrix (classification) or mean absolute error (regression) on <paramref name="data"/>.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        // Every rank evaluates the model rank 0 has (and saves), its running statistics included.
        Distributed?.BroadcastBuffers();
        return Evaluator.Evaluate(Model, Loss, data, Task, Distributed?.Group);
    }
}

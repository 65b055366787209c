using System.Diagnostics;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Training;

/// <summary>
/// The training loop: for each batch, forward, loss, backward, optimizer step. Progress is reported through events, not
/// printed, so a console, a log file or a test can each listen.
/// </summary>
public sealed class Trainer(Module model, ModelSpec spec, Optimizer optimizer)
{
    /// <summary>Raised after every optimizer step.</summary>
    public event Action<BatchReport>? BatchCompleted;

    /// <summary>Raised after every epoch.</summary>
    public event Action<EpochReport>? EpochCompleted;

    /// <summary>The network being trained.</summary>
    public Module Model { get; } = model;

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs, or until <paramref name="maxSteps"/> optimizer steps when that comes first
    /// (the last epoch is then partial). Evaluates on <paramref name="test"/> after each epoch when given.
    /// A run resumed from a checkpoint starts at <paramref name="startEpoch"/> with <paramref name="stepsTaken"/> steps
    /// already behind it (they count towards <paramref name="maxSteps"/>). Returns the number of optimizer steps taken in all.
    /// </summary>
    public int Fit(DataLoader loader, int epochs, int? maxSteps = null, Dataset? test = null, LRScheduler? scheduler = null, int startEpoch = 1, int stepsTaken = 0)
    {
        // An epoch without a batch would report a loss of 0/0 and leave the model untrained without a word.
        if (loader.BatchCount == 0) throw new ArgumentException("trainer: the training data has no examples");
        var loss = spec.CreateLoss();
        int step = stepsTaken;
        for (int epoch = startEpoch; epoch <= epochs && (maxSteps is null || step < maxSteps); epoch++)
        {
            Model.Train();
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
                var result = Step(features, targets, loss);
                step++;
                batch++;
                if (!double.IsFinite(result.Loss))
                {
                    throw new InvalidOperationException($"training stopped: the loss became {AnomalyMode.Describe(result.Loss)} at step {step} (epoch {epoch}, batch {batch}); " +
                        "lower the learning rate, or turn on anomaly detection (train --detect-anomaly, or DetectAnomaly) to find the op that made it");
                }
                lossSum += result.Loss * targets.Count;
                correct += result.Correct ?? 0;
                seen += targets.Count;
                BatchCompleted?.Invoke(new BatchReport(epoch, batch, loader.BatchCount, step, result.Loss,
                    result.Correct is { } right ? (double)right / targets.Count : null, seen / clock.Elapsed.TotalSeconds));
            }
            clock.Stop();
            scheduler?.Step();
            var testResult = test is null ? null : Evaluate(test);
            EpochCompleted?.Invoke(new EpochReport(epoch, lossSum / seen, spec.IsClassifier ? (double)correct / seen : null,
                testResult, clock.Elapsed, seen / clock.Elapsed.TotalSeconds, step));
        }
        return step;
    }

    /// <summary>
    /// One optimizer step on one batch: forward, loss, backward, update, inside a <see cref="TensorScope"/> so that the
    /// step's tensors recycle their memory; gradients are zeroed in place and reused. Returns the batch's loss and, for a
    /// classifier, how many examples it got right.
    /// </summary>
    public StepResult Step(Tensor features, Tensor targets, LossModule loss)
    {
        using var scope = new TensorScope();
        optimizer.ZeroGrad(setToNone: false);
        var outputs = Model.Forward(features);
        Tensor value;
        using (AnomalyMode.Enter(loss)) value = loss.Forward(outputs, spec.EncodeTargets(targets)); // names the loss in anomaly reports

        value.Backward();
        optimizer.Step();
        return new StepResult(value.Item(), spec.IsClassifier ? spec.CountCorrect(outputs, targets) : null);
    }

    /// <summary>Loss, accuracy and confusion matrix of the model on <paramref name="data"/>.</summary>
    public Evaluation Evaluate(Dataset data) => Evaluator.Evaluate(Model, spec, data);
}

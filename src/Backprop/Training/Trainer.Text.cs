using System.Diagnostics;
using System.Globalization;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.Optim;

namespace Backprop.Training;

public sealed partial class Trainer
{
    /// <summary>Raised at each evaluation of a text run (see <see cref="TextEvaluation"/>).</summary>
    public event Action<TextEvaluationReport>? TextEvaluated;

    /// <summary>
    /// Trains a language model for <paramref name="steps"/> optimizer steps on batches of token windows, as nanoGPT's
    /// training loop: there are no epochs (every shuffled batch is a fresh draw). <paramref name="scheduler"/> is stepped after
    /// every optimizer step (per iteration, as nanoGPT's <c>get_lr</c>, e.g. <see cref="WarmupCosineLR"/>). With
    /// <paramref name="evaluation"/>, the losses are estimated at step 0, every interval and at the end, and reported by
    /// <see cref="TextEvaluated"/>. With <see cref="Checkpoints"/>, a checkpoint is saved every
    /// <see cref="CheckpointPolicy.EverySteps"/> steps and at the end. After <see cref="Resume(string, TextWindowLoader)"/> it continues
    /// from the checkpoint's step. Batch reports count windows per second of training, evaluation apart (tokens per second is
    /// that times the block size).
    /// Returns the number of steps taken in all.
    /// </summary>
    public int Fit(TextWindowLoader loader, int steps, TextEvaluation? evaluation = null, LRScheduler? scheduler = null)
    {
        if (steps < 1) throw new ArgumentException($"trainer: steps must be at least 1, got {steps}");
        var configuration = Checkpoints is null ? null : Configuration(loader);
        int step = resumed?.Step ?? 0;
        resumed = null;
        // A resumed run's schedule continues where it stopped.
        while (scheduler is not null && scheduler.Epoch < step) scheduler.Step();
        double best = double.PositiveInfinity;
        if (evaluation is not null && step == 0) best = Estimate(evaluation, step, best);
        Model.Train();
        var clock = Stopwatch.StartNew();
        int taken = 0;
        while (step < steps)
        {
            StepResult result;
            using (var scope = new TensorScope())
            {
                var batch = loader.NextBatch();
                result = Step(batch.Features, batch.Targets);
            }
            step++;
            taken++;
            if (!double.IsFinite(result.Loss)) throw new NonFiniteLossException(result.Loss, step, epoch: 1, batch: step);
            scheduler?.Step();
            BatchCompleted?.Invoke(new BatchReport(1, step, steps, step, result.Loss, null, taken * loader.BatchSize / clock.Elapsed.TotalSeconds));
            if (evaluation is not null && (step % evaluation.Interval == 0 || step == steps))
            {
                clock.Stop(); // the throughput is training's own
                best = Estimate(evaluation, step, best);
                clock.Start();
            }
            if (configuration is not null && (step % Checkpoints!.EverySteps == 0 || step == steps) && Distributed?.Group.Rank is null or 0)
            {
                new Checkpoint(0, step, loader.Generator.GetState(), configuration).Save(Checkpoints.Directory, Model, Optimizer);
            }
        }
        return step;
    }

    /// <summary>
    /// Restores the text run saved in the checkpoint directory <paramref name="directory"/>: weights, optimizer state, the
    /// step reached and the state of the generator <paramref name="loader"/> draws from, refusing a checkpoint of another
    /// configuration as <see cref="Resume(string, DataLoader)"/> does. The next <see cref="Fit(TextWindowLoader, int, TextEvaluation?, LRScheduler?)"/>
    /// continues from that step.
    /// </summary>
    public Checkpoint Resume(string directory, TextWindowLoader loader)
    {
        var checkpoint = Checkpoint.Resume(directory, Configuration(loader), Model, Optimizer);
        loader.Generator.SetState(checkpoint.GeneratorState);
        loader.Step = checkpoint.Step;
        resumed = checkpoint;
        return checkpoint;
    }

    /// <summary>The estimated losses at <paramref name="step"/>, reported; returns the best validation loss so far.</summary>
    private double Estimate(TextEvaluation evaluation, int step, double best)
    {
        double train = Evaluator.EstimateLoss(Model, Loss, evaluation.Train, evaluation.Iterations, Distributed?.Group);
        double validation = Evaluator.EstimateLoss(Model, Loss, evaluation.Validation, evaluation.Iterations, Distributed?.Group);
        TextEvaluated?.Invoke(new TextEvaluationReport(step, train, validation, validation < best));
        return Math.Min(best, validation);
    }

    /// <summary>A text run's configuration: the trainer's entries with the window loader's batching.</summary>
    private Dictionary<string, string> Configuration(TextWindowLoader loader)
    {
        var configuration = Configuration(loader.BatchSize, loader.Shuffle);
        configuration["block_size"] = loader.BlockSize.ToString(CultureInfo.InvariantCulture);
        return configuration;
    }
}

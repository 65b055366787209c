using Backprop.Autograd;

namespace Backprop.Training;

/// <summary>
/// Training stopped because a batch's loss became NaN or infinite; the step, epoch and batch say where. A lower learning
/// rate usually helps; anomaly detection (<see cref="DetectAnomaly"/>) finds the op that made the first bad value.
/// </summary>
public sealed class NonFiniteLossException(double loss, int step, int epoch, int batch) : InvalidOperationException(
    $"training stopped: {Where(loss, step, epoch, batch)}; lower the learning rate, or turn on anomaly detection (DetectAnomaly) to find the op that made it")
{
    /// <summary>What happened and where, without advice: "the loss became nan at step 3 (epoch 1, batch 3)".</summary>
    public string Problem { get; } = Where(loss, step, epoch, batch);

    /// <summary>The loss, NaN or an infinity.</summary>
    public double Loss { get; } = loss;

    /// <summary>The optimizer step that made it, counted from the start of training (from 1).</summary>
    public int Step { get; } = step;

    /// <summary>The epoch it happened in (from 1).</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch of that epoch (from 1).</summary>
    public int Batch { get; } = batch;

    private static string Where(double loss, int step, int epoch, int batch) => $"the loss became {AnomalyMode.Describe(loss)} at step {step} (epoch {epoch}, batch {batch})";
}

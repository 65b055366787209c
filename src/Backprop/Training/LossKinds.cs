using Backprop.Losses;

namespace Backprop.Training;

/// <summary>
/// The losses by name (as model files record them: cross-entropy, mse, bce), and what each means for a network with a
/// given number of outputs: the loss module and the task that encodes targets and reads outputs.
/// </summary>
public static class LossKinds
{
    private static readonly Dictionary<string, LossKind> Names = new()
    {
        ["cross-entropy"] = LossKind.CrossEntropy,
        ["mse"] = LossKind.Mse,
        ["bce"] = LossKind.Bce,
    };

    /// <summary>Every name, in a stable order.</summary>
    public static IReadOnlyCollection<string> All => Names.Keys;

    /// <summary>The loss called <paramref name="name"/>: cross-entropy, mse or bce.</summary>
    public static LossKind Parse(string name) =>
        Names.TryGetValue(name.ToLowerInvariant(), out var loss)
            ? loss
            : throw new ArgumentException($"loss: unknown '{name}' (expected one of {string.Join(", ", Names.Keys)})");

    /// <summary>The name of a loss.</summary>
    public static string Name(this LossKind loss) => Names.First(p => p.Value == loss).Key;

    /// <summary>The loss module.</summary>
    public static LossModule CreateLoss(this LossKind loss) => loss switch
    {
        LossKind.CrossEntropy => new CrossEntropyLoss(),
        LossKind.Bce => new BCEWithLogitsLoss(),
        _ => new MSELoss(),
    };

    /// <summary>
    /// What <paramref name="outputs"/> outputs per example mean under this loss: class logits for cross-entropy, logits read
    /// through a sigmoid for BCE, and for MSE one-hot class values with several outputs or regression with one.
    /// </summary>
    public static TrainingTask CreateTask(this LossKind loss, int outputs) =>
        loss == LossKind.Mse && outputs > 1 ? new ClassificationTask(ClassOutputs.Values) : TrainingTask.For(loss.CreateLoss());
}

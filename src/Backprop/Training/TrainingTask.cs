using Backprop.Losses;

namespace Backprop.Training;

/// <summary>
/// What a model's outputs and a batch's targets mean to <see cref="Trainer"/> and <see cref="Evaluator"/>: how the
/// targets a <see cref="Data.DataLoader"/> gives become what the loss compares the outputs with, and whether some
/// outputs are "correct" (<see cref="ClassificationTask"/>) or merely near (<see cref="RegressionTask"/>). The model, the
/// loss and the optimizer are the caller's own; this is the small part of training that depends on the data's meaning.
/// </summary>
public abstract class TrainingTask
{
    /// <summary>
    /// The targets of a batch (<paramref name="targets"/> [B, …] as the data holds them) in the shape and encoding the loss
    /// expects next to the model's <paramref name="outputs"/>.
    /// </summary>
    public abstract Tensor EncodeTargets(Tensor targets, Tensor outputs);

    /// <summary>
    /// The task <paramref name="loss"/> implies for a model of <paramref name="outputs"/> outputs per example, as the loss
    /// reads them (<see cref="LossModule.ClassOutputs"/>): class indices and softmax for <see cref="CrossEntropyLoss"/>,
    /// classes read through a sigmoid for <see cref="BCEWithLogitsLoss"/>, regression for <see cref="MSELoss"/> on one
    /// output and one-hot class values on several, regression for a loss of your own.
    /// </summary>
    public static TrainingTask For(LossModule loss, int outputs = 1) =>
        loss.ClassOutputs(outputs) is { } classes ? new ClassificationTask(classes) : new RegressionTask();
}

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
    /// The task <paramref name="loss"/> implies, as PyTorch's conventions have it: class indices and softmax for
    /// <see cref="CrossEntropyLoss"/>, classes read through a sigmoid for <see cref="BCEWithLogitsLoss"/>, regression for
    /// <see cref="MSELoss"/> and any other loss (give a <see cref="ClassificationTask"/> of
    /// <see cref="ClassOutputs.Values"/> to classify with MSE); a <see cref="PenalizedLoss"/> implies its loss's task.
    /// </summary>
    public static TrainingTask For(LossModule loss) => loss switch
    {
        PenalizedLoss penalized => For(penalized.Loss),
        CrossEntropyLoss => new ClassificationTask(ClassOutputs.Logits),
        BCEWithLogitsLoss => new ClassificationTask(ClassOutputs.SigmoidLogits),
        _ => new RegressionTask(),
    };
}

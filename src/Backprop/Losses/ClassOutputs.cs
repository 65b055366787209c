namespace Backprop.Losses;

/// <summary>How a classifier's outputs [B, C] (or [B, 1] for two classes) are read, which follows from the loss it is trained with.</summary>
public enum ClassOutputs
{
    /// <summary>
    /// Logits for softmax cross-entropy (<see cref="CrossEntropyLoss"/>): the targets stay class indices, the
    /// predicted class is the largest logit, its probability the softmax.
    /// </summary>
    Logits,

    /// <summary>
    /// Logits read through a sigmoid (<see cref="BCEWithLogitsLoss"/>): one output is class 1's logit (class 1 from
    /// 0 up; the target is the class, 0 or 1); several are one logit per class (one-hot targets; the largest wins).
    /// </summary>
    SigmoidLogits,

    /// <summary>
    /// Values fitted to the targets (<see cref="MSELoss"/>) and read as probabilities: one output is class 1 from
    /// 0.5 up (the target is the class, 0 or 1); several are one per class (one-hot targets; the largest wins).
    /// </summary>
    Values,

    /// <summary>
    /// Values fitted to −1 and +1 (<see cref="Losses.MSELoss"/> on a tanh output, as LeCun's networks and TensorFlow
    /// Playground): one output is class 1 from 0 up (the target is −1 for class 0, +1 for class 1); several are one per
    /// class (+1 for the class, −1 for the others; the largest wins).
    /// </summary>
    Signs,
}

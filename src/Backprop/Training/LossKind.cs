namespace Backprop.Training;

/// <summary>The cost a model is trained with; it also decides how targets are encoded and outputs are read.</summary>
public enum LossKind
{
    /// <summary>Softmax cross-entropy over class logits.</summary>
    CrossEntropy,

    /// <summary>Mean squared error: one-hot targets for several outputs, the value itself for one.</summary>
    Mse,

    /// <summary>Binary cross-entropy on one logit per example.</summary>
    Bce,
}

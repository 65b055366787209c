namespace Backprop.Training;

/// <summary>What one training step measured: the batch's loss, and for a classification task how many examples it classified right.</summary>
public readonly record struct StepResult(double Loss, int? Correct);

namespace Backprop.Training;

/// <summary>
/// How a model does on a data set: mean loss; for classification, accuracy and the confusion matrix (row = true class,
/// column = predicted); for regression, the mean absolute error of its outputs.
/// </summary>
public sealed record Evaluation(int Count, double Loss, double? Accuracy, int[,]? Confusion, double? MeanAbsoluteError = null);

namespace Backprop.Training;

/// <summary>
/// How a model does on a data set: mean loss, accuracy, and the confusion matrix (row = true class, column = predicted),
/// the last two only for classifiers.
/// </summary>
public sealed record Evaluation(int Count, double Loss, double? Accuracy, int[,]? Confusion);

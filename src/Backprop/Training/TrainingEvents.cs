namespace Backprop.Training;

/// <summary>Reported after each optimizer step: the batch's loss and accuracy (null for regression) and the throughput so far this epoch.</summary>
public sealed record BatchReport(int Epoch, int Batch, int BatchCount, int Step, double Loss, double? Accuracy, double SamplesPerSecond);

/// <summary>
/// Reported after each epoch: training loss and accuracy averaged over the epoch's examples, the same on the test set
/// when there is one, the epoch's time and throughput, and the optimizer steps taken since training began.
/// </summary>
public sealed record EpochReport(int Epoch, double TrainLoss, double? TrainAccuracy, Evaluation? Test, TimeSpan Elapsed, double SamplesPerSecond, int Step);

/// <summary>
/// Reported by a text run at each evaluation (<see cref="TextEvaluation"/>): the step reached and the estimated mean loss on
/// each split; <see cref="IsBest"/> when the validation loss is the lowest so far (the model to keep).
/// </summary>
public sealed record TextEvaluationReport(int Step, double TrainLoss, double ValidationLoss, bool IsBest);

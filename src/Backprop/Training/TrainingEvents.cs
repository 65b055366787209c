namespace Backprop.Training;

/// <summary>Reported after each optimizer step: the batch's loss and accuracy (null for regression) and the throughput so far this epoch.</summary>
public sealed record BatchReport(int Epoch, int Batch, int BatchCount, int Step, double Loss, double? Accuracy, double SamplesPerSecond);

/// <summary>
/// Reported after each epoch: training loss and accuracy averaged over the epoch's examples, the same on the test set
/// when there is one, the epoch's time and throughput, and the optimizer steps taken since training began.
/// </summary>
public sealed record EpochReport(int Epoch, double TrainLoss, double? TrainAccuracy, Evaluation? Test, TimeSpan Elapsed, double SamplesPerSecond, int Step);

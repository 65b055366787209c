using Backprop.Autograd;
using Backprop.Data;
using Backprop.Distributed;
using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>Measures a model on a data set, in evaluation mode and without recording a graph.</summary>
public static class Evaluator
{
    private const int EvaluationBatch = 1000;

    /// <summary>
    /// The mean <paramref name="loss"/> of <paramref name="model"/> on <paramref name="data"/>, with accuracy and confusion
    /// matrix for a classification task or the mean absolute error for a regression task (<paramref name="task"/>, by
    /// default the one the loss implies: <see cref="TrainingTask.For"/>). Runs in evaluation mode and without a graph; the
    /// model is left in the mode it was in (a training loop that evaluates between steps keeps training with dropout on).
    /// With <paramref name="group"/>, every rank of it calls this: each measures its shard (examples rank, rank + world
    /// size, …) and the sums are added over the ranks, so that every rank gets the whole set's evaluation.
    /// </summary>
    public static Evaluation Evaluate(Module model, LossModule loss, Dataset data, TrainingTask? task = null, ProcessGroup? group = null)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            return Measure(model, loss, data, task ?? TrainingTask.For(loss), group);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private static Evaluation Measure(Module model, LossModule loss, Dataset data, TrainingTask task, ProcessGroup? group)
    {
        using var _ = new NoGrad();
        var classification = task as ClassificationTask;
        int[,]? confusion = null;
        double lossSum = 0, absoluteErrorSum = 0;
        long outputCount = 0;
        int correct = 0;
        var examples = group is null ? new SequentialSampler(data.Count) : (Sampler)new ShardSampler(data.Count, group.WorldSize, group.Rank);
        using var batches = new DataLoader(data, EvaluationBatch, examples).GetEnumerator();
        while (true)
        {
            // Opened before the batch is made, so the batch's memory is pooled too (as in Trainer.Fit).
            using var scope = new TensorScope();
            if (!batches.MoveNext()) break;
            var (features, targets) = batches.Current;
            var outputs = model.Forward(features);
            var encoded = task.EncodeTargets(targets, outputs);
            lossSum += loss.Forward(outputs, encoded).Item() * targets.Shape[0];
            if (classification is null)
            {
                absoluteErrorSum += (outputs - encoded).Abs().Sum().Item();
                outputCount += outputs.Count;
                continue;
            }
            // As many classes as the outputs tell apart, or as the data has if more (their rows show what the model missed).
            int classes = Math.Max(ClassificationTask.ClassCount(outputs), data.ClassCount ?? 0);
            confusion ??= new int[classes, classes];
            var predicted = classification.PredictClasses(outputs);
            var actual = ClassIndex.ToArray("evaluation", targets, confusion.GetLength(0));
            for (int i = 0; i < predicted.Length; i++)
            {
                confusion[actual[i], predicted[i]]++;
                if (actual[i] == predicted[i]) correct++;
            }
        }
        if (classification is not null) confusion ??= new int[data.ClassCount ?? 0, data.ClassCount ?? 0];
        if (group is not null)
        {
            double[] sums = [lossSum, absoluteErrorSum, outputCount, correct];
            group.AllReduce<double>(sums);
            (lossSum, absoluteErrorSum, outputCount, correct) = (sums[0], sums[1], (long)sums[2], (int)sums[3]);
            if (confusion is not null) confusion = AddAcrossRanks(group, confusion);
        }
        return new Evaluation(data.Count, data.Count == 0 ? 0 : lossSum / data.Count,
            classification is null ? null : (double)correct / data.Count, confusion,
            classification is null ? (outputCount == 0 ? 0 : absoluteErrorSum / outputCount) : null);
    }

    /// <summary>
    /// The sum of every rank's confusion matrix. A rank whose shard was empty sized its matrix from the data's class count
    /// alone, so the ranks first agree on the largest size (each rank's size in its own slot of an all-reduced vector).
    /// </summary>
    private static int[,] AddAcrossRanks(ProcessGroup group, int[,] confusion)
    {
        var sizes = new double[group.WorldSize];
        sizes[group.Rank] = confusion.GetLength(0);
        group.AllReduce<double>(sizes);
        int classes = (int)sizes.Max();
        var counts = new double[classes * classes];
        for (int i = 0; i < confusion.GetLength(0); i++)
        {
            for (int j = 0; j < confusion.GetLength(1); j++) counts[i * classes + j] = confusion[i, j];
        }
        group.AllReduce<double>(counts);
        var total = new int[classes, classes];
        for (int i = 0; i < counts.Length; i++) total[i / classes, i % classes] = (int)counts[i];
        return total;
    }
}

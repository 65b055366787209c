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

    /// <summary>
    /// The mean loss of a language model over the whole of <paramref name="tokens"/> in consecutive windows of
    /// <paramref name="blockSize"/> tokens (⌊(n − 1)/T⌋ windows, each predicting the T tokens after its own positions), as
    /// the mean over all their predictions; <see cref="Evaluation.Count"/> is the number of predictions. In evaluation mode,
    /// without a graph, <paramref name="batchSize"/> windows at a time.
    /// </summary>
    public static Evaluation Evaluate(Module model, LossModule loss, TokenSequence tokens, int blockSize, int batchSize = 32)
    {
        var windows = new TextWindowLoader(tokens, batchSize, blockSize, shuffle: false);
        bool wasTraining = model.IsTraining;
        model.Eval();
        using var _ = new NoGrad();
        try
        {
            double lossSum = 0;
            for (int first = 0; first < windows.WindowCount; first += batchSize)
            {
                using var scope = new TensorScope();
                var batch = windows.NextBatch();
                int count = Math.Min(batchSize, windows.WindowCount - first); // the last batch wraps around: keep its new windows only
                var (inputs, targets) = count == batchSize ? (batch.Features, batch.Targets) : (batch.Features.Slice(0, 0, count), batch.Targets.Slice(0, 0, count));
                lossSum += loss.Forward(model.Forward(inputs), targets).Item() * count;
            }
            return new Evaluation(windows.WindowCount * blockSize, lossSum / windows.WindowCount, null, null);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>
    /// nanoGPT's <c>estimate_loss</c> for one split: the mean loss over <paramref name="iterations"/> batches from
    /// <paramref name="batches"/>, in evaluation mode and without a graph. With <paramref name="group"/>, the mean over every
    /// rank's batches (each rank calls this).
    /// </summary>
    public static double EstimateLoss(Module model, LossModule loss, TextWindowLoader batches, int iterations, ProcessGroup? group = null)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        using var _ = new NoGrad();
        try
        {
            double sum = 0;
            for (int i = 0; i < iterations; i++)
            {
                using var scope = new TensorScope();
                var batch = batches.NextBatch();
                sum += loss.Forward(model.Forward(batch.Features), batch.Targets).Item();
            }
            double[] totals = [sum, iterations];
            group?.AllReduce<double>(totals);
            return totals[0] / totals[1];
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

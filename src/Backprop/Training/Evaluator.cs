using Backprop.Autograd;
using Backprop.Data;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>Measures a model on a data set, in evaluation mode and without recording a graph.</summary>
public static class Evaluator
{
    private const int EvaluationBatch = 1000;

    /// <summary>
    /// Loss, accuracy and confusion matrix on <paramref name="data"/>, in evaluation mode and without a graph; the model is
    /// left in the mode it was in (a training loop that evaluates between steps keeps training with dropout on).
    /// </summary>
    public static Evaluation Evaluate(Module model, ModelSpec spec, Dataset data)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            return Measure(model, spec, data);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private static Evaluation Measure(Module model, ModelSpec spec, Dataset data)
    {
        using var _ = new NoGrad();
        var loss = spec.CreateLoss();
        int classes = Math.Max(spec.Outputs == 1 ? 2 : spec.Outputs, data.ClassCount ?? 0);
        var confusion = spec.IsClassifier ? new int[classes, classes] : null;
        double lossSum = 0;
        int correct = 0;
        using var batches = new DataLoader(data, EvaluationBatch).GetEnumerator();
        while (true)
        {
            // Opened before the batch is made, so the batch's memory is pooled too (as in Trainer.Fit).
            using var scope = new TensorScope();
            if (!batches.MoveNext()) break;
            var (features, targets) = batches.Current;
            var outputs = model.Forward(features);
            lossSum += loss.Forward(outputs, spec.EncodeTargets(targets)).Item() * targets.Count;
            if (confusion is null) continue;
            var predicted = spec.PredictClasses(outputs);
            for (int i = 0; i < predicted.Length; i++)
            {
                int actual = (int)targets[i];
                confusion[actual, predicted[i]]++;
                if (actual == predicted[i]) correct++;
            }
        }
        return new Evaluation(data.Count, data.Count == 0 ? 0 : lossSum / data.Count, confusion is null ? null : (double)correct / data.Count, confusion);
    }
}

using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>The trainer's text loop (nanoGPT's): steps, per-step schedule, clipping, evaluation, resume; and the text evaluator.</summary>
public class TextTrainerTests
{
    private static readonly TextCorpus Corpus = TextCorpus.FromString(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 12)));

    private static GPT Model() => new(Corpus.Tokenizer.VocabularySize, 8, 1, 2, 8, generator: new Generator(3));

    [Fact]
    public void ClippingScalesTheGradientsBeforeEachStepAsClipGradNormDoes()
    {
        var viaTrainer = Model();
        var trainer = new Trainer(viaTrainer, new CrossEntropyLoss(), new Adam(viaTrainer.Parameters(), 0.01), new NextTokenTask()) { ClipGradNorm = 0.05 };
        trainer.Fit(new TextWindowLoader(Corpus.Train, 4, 8, shuffle: false), steps: 3);

        var byHand = Model();
        var optimizer = new Adam(byHand.Parameters(), 0.01);
        var loader = new TextWindowLoader(Corpus.Train, 4, 8, shuffle: false);
        for (int step = 0; step < 3; step++)
        {
            var batch = loader.NextBatch();
            optimizer.ZeroGrad();
            Loss.CrossEntropy(byHand.Forward(batch.Features), batch.Targets).Backward();
            ClipGrad.Norm(byHand.Parameters(), 0.05);
            optimizer.Step();
        }
        foreach (var ((name, a), (_, b)) in viaTrainer.StateDict().Zip(byHand.StateDict()))
        {
            Assert.True(a.ToFloatArray().SequenceEqual(b.ToFloatArray()), name);
        }
    }

    [Fact]
    public void EvaluatesAtTheStartEveryIntervalAndTheEndAndStepsTheScheduleEveryStep()
    {
        var model = Model();
        var optimizer = new AdamW(model.Parameters(), 0.01);
        var schedule = new WarmupCosineLR(optimizer, 2, 7, 0.001);
        var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer, new NextTokenTask());
        var reports = new List<TextEvaluationReport>();
        var rates = new List<double>();
        trainer.TextEvaluated += reports.Add;
        trainer.BatchCompleted += _ => rates.Add(optimizer.LearningRate);
        var evaluation = new TextEvaluation(new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(5)), new TextWindowLoader(Corpus.Validation, 2, 8, generator: new Generator(6)), 3, 2);

        Assert.Equal(7, trainer.Fit(new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(4)), 7, evaluation, schedule));

        Assert.Equal([0, 3, 6, 7], reports.Select(r => r.Step));
        Assert.True(reports[0].IsBest);
        double best = double.PositiveInfinity;
        foreach (var report in reports)
        {
            Assert.Equal(report.ValidationLoss < best, report.IsBest);
            best = Math.Min(best, report.ValidationLoss);
        }
        // After step s the rate is the schedule's for iteration s (nanoGPT sets get_lr(it) before iteration it).
        Assert.Equal(Enumerable.Range(1, 7).Select(schedule.LearningRateAt), rates);
    }

    [Fact]
    public void AResumedTextRunEndsWithTheWeightsOfAnUninterruptedOne()
    {
        using var dir = new TempDirectory();
        Trainer Create(GPT model, string directory) =>
            new(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.01), new NextTokenTask()) { Checkpoints = new CheckpointPolicy(directory) { EverySteps = 3 } };

        var whole = Model();
        Create(whole, dir.File("whole")).Fit(new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(7)), 6);

        var first = Model();
        Create(first, dir.File("parts")).Fit(new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(7)), 3);
        var resumed = Model();
        var trainer = Create(resumed, dir.File("parts"));
        var loader = new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(99)); // its state comes from the checkpoint
        Assert.Equal(3, trainer.Resume(dir.File("parts"), loader).Step);
        Assert.Equal(6, trainer.Fit(loader, 6));

        foreach (var ((name, a), (_, b)) in whole.StateDict().Zip(resumed.StateDict()))
        {
            Assert.True(a.ToFloatArray().SequenceEqual(b.ToFloatArray()), name);
        }
    }

    [Fact]
    public void TheTextEvaluationIsTheMeanOverEveryPredictionOfConsecutiveWindows()
    {
        var model = Model();
        var tokens = Corpus.Validation;
        const int T = 8;
        int windows = (tokens.Count - 1) / T;
        // By hand: each window alone, its mean cross-entropy over its T predictions, then the mean over the windows.
        double sum = 0;
        using (new Backprop.Autograd.NoGrad())
        {
            for (int w = 0; w < windows; w++)
            {
                var inputs = Tensor.FromArray(Enumerable.Range(w * T, T).Select(i => (long)tokens[i]).ToArray(), [1, T]);
                var targets = Tensor.FromArray(Enumerable.Range(w * T + 1, T).Select(i => (long)tokens[i]).ToArray(), [1, T]);
                sum += Loss.CrossEntropy(model.Forward(inputs), targets).Item();
            }
        }
        var result = Evaluator.Evaluate(model, new CrossEntropyLoss(), tokens, T, batchSize: 4); // 4 does not divide the windows: the last batch is partial
        Assert.NotEqual(0, windows % 4);
        Assert.Equal(windows * T, result.Count);
        Assert.Equal(sum / windows, result.Loss, 1e-6);
    }

    [Fact]
    public void TheLossesDefaultTaskCountsEveryPositionOfASequence()
    {
        var model = Model();
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Sgd(model.Parameters(), 0.1)); // the loss implies classes
        Assert.Equal(2, trainer.Fit(new TextWindowLoader(Corpus.Train, 2, 8, generator: new Generator(1)), 2));

        // Logits [1, 2, 3]: position 0 predicts class 2, position 1 class 0.
        var outputs = Tensor.FromArray([0f, 1f, 5f, 4f, 1f, 0f], [1, 2, 3]);
        Assert.Equal(1, new ClassificationTask().CountCorrect(outputs, Tensor.FromArray([2L, 1L], [1, 2])));
        Assert.Equal([2, 0], new ClassificationTask().PredictClasses(outputs));
    }
}

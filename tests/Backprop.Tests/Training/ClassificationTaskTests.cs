using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>What targets and outputs mean for each loss: the hook through which Trainer and Evaluator read them.</summary>
public class ClassificationTaskTests
{
    [Fact]
    public void CountsCorrectPredictionsTheWayClassifyPredicts()
    {
        var logits = Tensor.FromArray(new float[,] { { 0.1f, 2, -1 }, { 3, 0, 0 }, { 0, 0, 5 } });
        var targets = Tensor.FromArray([1f, 0f, 1f]);
        var task = new ClassificationTask(ClassOutputs.Logits);
        Assert.Equal(2, task.CountCorrect(logits, targets));
        Assert.Equal([1, 0, 2], task.Classify(logits).Classes);
        Assert.Same(targets, task.EncodeTargets(targets, logits)); // class indices, as cross-entropy takes them

        // One logit: class 1 from 0 up, the target reshaped to the output's [B, 1].
        var binary = new ClassificationTask(ClassOutputs.SigmoidLogits);
        var single = Tensor.FromArray(new float[,] { { -0.5f }, { 0f }, { 2f } });
        Assert.Equal(3, binary.CountCorrect(single, Tensor.FromArray([0f, 1f, 1f])));
        Assert.Equal([0, 1, 1], binary.Classify(single).Classes);
        Assert.Equal(new Shape(3, 1), binary.EncodeTargets(Tensor.FromArray([0f, 1f, 1f]), single).Shape);

        // One value fitted by MSE: class 1 from 0.5 up; its probability is the value itself.
        var value = new ClassificationTask(ClassOutputs.Values);
        var (classes, probabilities) = value.Classify(Tensor.FromArray(new float[,] { { 0.4f }, { 0.5f }, { 0.9f } }));
        Assert.Equal([0, 1, 1], classes);
        Assert.Equal([0.6, 0.5, 0.9], probabilities.Select(p => Math.Round(p, 6)));
    }

    [Fact]
    public void SeveralOutputsOutsideSoftmaxTakeOneHotTargets()
    {
        var outputs = Tensor.Zeros([2, 3]);
        Assert.Equal([0f, 0, 1, 1, 0, 0], new ClassificationTask(ClassOutputs.Values).EncodeTargets(Tensor.FromArray([2f, 0f]), outputs).ToFloatArray());
        Assert.Equal([0f, 0, 1, 1, 0, 0], new ClassificationTask(ClassOutputs.SigmoidLogits).EncodeTargets(Tensor.FromArray([2f, 0f]), outputs).ToFloatArray());
    }

    [Fact]
    public void SignsAreFittedToMinusOneAndPlusOneAndReadFromZero()
    {
        // One output, as TensorFlow Playground's tanh output: class 0 is −1, class 1 is +1; class 1 from 0 up, probability (y + 1)/2.
        var signs = new ClassificationTask(ClassOutputs.Signs);
        var single = Tensor.FromArray(new float[,] { { -0.5f }, { 0f }, { 0.8f } });
        var encoded = signs.EncodeTargets(Tensor.FromArray([0L, 1L, 1L]), single);
        Assert.Equal(new Shape(3, 1), encoded.Shape);
        Assert.Equal([-1f, 1f, 1f], encoded.ToFloatArray());
        var (classes, probabilities) = signs.Classify(single);
        Assert.Equal([0, 1, 1], classes);
        Assert.Equal([0.75, 0.5, 0.9], probabilities.Select(p => Math.Round(p, 6)));
        Assert.Equal(2, signs.CountCorrect(single, Tensor.FromArray([0L, 0L, 1L])));

        // Several outputs: +1 for the class, −1 for the others; the largest wins.
        Assert.Equal([-1f, -1, 1, 1, -1, -1], signs.EncodeTargets(Tensor.FromArray([2f, 0f]), Tensor.Zeros([2, 3])).ToFloatArray());
        Assert.Equal([2], signs.PredictClasses(Tensor.FromArray(new float[,] { { -0.9f, -0.2f, 0.1f } })));
    }

    [Fact]
    public void TheLossImpliesTheTask()
    {
        Assert.Equal(ClassOutputs.Logits, Assert.IsType<ClassificationTask>(TrainingTask.For(new CrossEntropyLoss())).Outputs);
        Assert.Equal(ClassOutputs.SigmoidLogits, Assert.IsType<ClassificationTask>(TrainingTask.For(new BCEWithLogitsLoss())).Outputs);
        Assert.IsType<RegressionTask>(TrainingTask.For(new MSELoss()));
        // A penalty changes the cost, not what the outputs mean.
        Assert.Equal(ClassOutputs.Logits, Assert.IsType<ClassificationTask>(TrainingTask.For(new PenalizedLoss(new CrossEntropyLoss(), [Tensor.Ones([2])], new Penalty(PenaltyKind.L2, 0.1)))).Outputs);

        // ModelDescription's MLPs as before: MSE on one output is regression, on several a classifier of one-hot targets.
        Assert.IsType<RegressionTask>(ModelDescription.Mlp([2, 1], Activation.ReLU, new MSELoss()).CreateTask());
        Assert.Equal(ClassOutputs.Values, Assert.IsType<ClassificationTask>(ModelDescription.Mlp([2, 3], Activation.ReLU, new MSELoss()).CreateTask()).Outputs);
        Assert.Equal(ClassOutputs.SigmoidLogits, Assert.IsType<ClassificationTask>(ModelDescription.Mlp([2, 1], Activation.ReLU, new BCEWithLogitsLoss()).CreateTask()).Outputs);
    }

    [Fact]
    public void RegressionTargetsTakeTheOutputsShape()
    {
        var task = new RegressionTask();
        Assert.Equal(new Shape(3, 1), task.EncodeTargets(Tensor.FromArray([1f, 2f, 3f]), Tensor.Zeros([3, 1])).Shape);
        Assert.Equal("regression: targets of shape [3] for outputs of shape [3,2]",
            Assert.Throws<ArgumentException>(() => task.EncodeTargets(Tensor.FromArray([1f, 2f, 3f]), Tensor.Zeros([3, 2]))).Message);
    }
}

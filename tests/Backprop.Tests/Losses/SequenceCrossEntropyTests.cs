using Backprop.Losses;

namespace Backprop.Tests.Losses;

/// <summary>Cross-entropy over [B, T, V] logits with the classes on the last axis, and ignore_index left out of the mean.</summary>
public class SequenceCrossEntropyTests
{
    // Four rows of three logits: [B=2, T=2, V=3].
    private static readonly double[] Logits = [1, 2, 3, 0, 0, 0, 0, Math.Log(3), 0, 2, 0, 0];

    [Fact]
    public void IgnoredTargetsAreLeftOutOfTheMean()
    {
        var logits = Tensor.FromArray(Logits, [2, 2, 3]);
        logits.RequiresGrad = true;
        var loss = Loss.CrossEntropy(logits, Tensor.FromArray([2L, 0, -1, 1], [2, 2]), ignoreIndex: -1);
        // Each row's loss is −log_softmax(x)[target] = log Σ eˣ − x[target]:
        // [1, 2, 3] at 2: log(e + e² + e³) − 3 = log(1 + e⁻¹ + e⁻²); [0, 0, 0] at 0: log 3; [2, 0, 0] at 1: log(e² + 2).
        // The third row is ignored, so the mean is over three rows, not four.
        double expected = (Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)) + Math.Log(3) + Math.Log(Math.Exp(2) + 2)) / 3;
        Assert.Equal(expected, loss.Item(), 12);

        loss.Backward();
        var grad = logits.Grad!.ToDoubleArray();
        // d/dx = (softmax − one-hot)/3 on the counted rows: [0, 0, 0] at 0 gives (1/3 − 1, 1/3, 1/3)/3; the ignored row gets 0.
        double[] countedRow = [(1.0 / 3 - 1) / 3, 1.0 / 9, 1.0 / 9];
        for (int i = 0; i < 3; i++) Assert.Equal(countedRow[i], grad[3 + i], 12);
        Assert.Equal([0, 0, 0], grad[6..9]);
    }

    [Fact]
    public void TheDefaultIgnoreIndexIsPyTorchsMinus100()
    {
        var logits = Tensor.FromArray(Logits, [4, 3]);
        // Only row 1 ([0, 0, 0] at 0) counts: log 3.
        Assert.Equal(Math.Log(3), Loss.CrossEntropy(logits, Tensor.FromArray([-100f, 0, -100, -100])).Item(), 12);
        Assert.Equal(Math.Log(3), new CrossEntropyLoss().Forward(logits, Tensor.FromArray([-100L, 0, -100, -100])).Item(), 12);
        // −1 is no class and not the ignore index here.
        Assert.Equal("cross_entropy: target -1 at row 2 is not a class in [0,3)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.FromArray([2L, 0, -1, 1]))).Message);
    }

    [Fact]
    public void EveryTargetIgnoredGivesNaNAndNoGradient()
    {
        var logits = Tensor.FromArray(Logits, [2, 2, 3]);
        logits.RequiresGrad = true;
        var loss = new CrossEntropyLoss(ignoreIndex: -1).Forward(logits, Tensor.FromArray([-1L, -1, -1, -1], [2, 2]));
        Assert.True(double.IsNaN(loss.Item()));
        loss.Backward();
        Assert.All(logits.Grad!.ToDoubleArray(), v => Assert.Equal(0, v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SequenceLogitsGiveWhatTheirFlattenedRowsGive(bool int64Targets)
    {
        var sequence = Tensor.Uniform([2, 3, 5], -3, 3, new Generator(11), DType.Float64);
        sequence.RequiresGrad = true;
        float[] targets = [4, -1, 0, 2, 2, -1];
        var sequenceTargets = int64Targets ? Tensor.FromArray(Array.ConvertAll(targets, t => (long)t), [2, 3]) : Tensor.FromArray(targets, [2, 3]);
        var loss = Loss.CrossEntropy(sequence, sequenceTargets, ignoreIndex: -1);
        loss.Backward();

        var rows = Tensor.FromArray(sequence.ToDoubleArray(), [6, 5]);
        rows.RequiresGrad = true;
        var flatLoss = Loss.CrossEntropy(rows, sequenceTargets.Reshape(6), ignoreIndex: -1);
        flatLoss.Backward();

        Assert.Equal(flatLoss.Item(), loss.Item());
        Assert.Equal(rows.Grad!.ToDoubleArray(), sequence.Grad!.ToDoubleArray());
    }

    [Fact]
    public void TargetsMustHaveTheLogitsShapeWithoutTheClassAxis()
    {
        Assert.Equal("cross_entropy: targets of shape [2,2] for 6 rows of shape [2,3,4]",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 3, 4]), Tensor.Zeros([2, 2]))).Message);
        Assert.Equal("cross_entropy: targets of shape [6] for 6 rows of shape [2,3,4]",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 3, 4]), Tensor.Zeros([6]))).Message);
        Assert.Equal("cross_entropy: target 4 at row 5 is not a class in [0,4)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 3, 4]), Tensor.FromArray([0L, 1, 2, 3, -100, 4], [2, 3]))).Message);
    }

    [Fact]
    public void TheLossModulesAreEqualWhenTheirIgnoreIndexIs()
    {
        Assert.Equal(new CrossEntropyLoss(), LossModule.Parse("cross-entropy"));
        Assert.Equal(new CrossEntropyLoss(-1), new CrossEntropyLoss(ignoreIndex: -1));
        Assert.Equal(new CrossEntropyLoss(-1).GetHashCode(), new CrossEntropyLoss(-1).GetHashCode());
        Assert.NotEqual(new CrossEntropyLoss(), new CrossEntropyLoss(-1));
        Assert.Equal(-100, new CrossEntropyLoss().IgnoreIndex);
    }
}

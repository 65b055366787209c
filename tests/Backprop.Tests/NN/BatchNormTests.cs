using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>
/// BatchNorm1d/2d as PyTorch's: the numbers of one training step and of evaluation worked out by hand, the running
/// statistics (unbiased variance, momentum, cumulative average), num_batches_tracked, the state dict, and the checks.
/// </summary>
public class BatchNormTests
{
    // Two channels over a batch of four: channel 0 holds 1, 3, 5, 7 (mean 4, squared deviations 9+1+1+9 = 20), channel 1
    // holds 2, 6, 10, 2 (mean 5, squared deviations 9+1+25+9 = 44).
    private static Tensor Batch() => Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 6 }, { 5, 10 }, { 7, 2 } });

    [Fact]
    public void TrainingNormalisesByTheBatchAndMovesTheRunningStatistics()
    {
        var layer = new BatchNorm1d(2, dtype: DType.Float64);
        var y = layer.Forward(Batch());
        // Normalised with the biased variance: 20/4 = 5 and 44/4 = 11.
        Assert.Equal((1 - 4) / Math.Sqrt(5 + 1e-5), y[0, 0], 1e-14);
        Assert.Equal((10 - 5) / Math.Sqrt(11 + 1e-5), y[2, 1], 1e-14);
        // Running statistics: 0.9·old + 0.1·batch, the variance unbiased: 20/3 and 44/3.
        Assert.Equal([0.4, 0.5], layer.RunningMean!.ToDoubleArray(), new ToleranceComparer(1e-15));
        Assert.Equal([0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 44 / 3], layer.RunningVar!.ToDoubleArray(), new ToleranceComparer(1e-15));
        Assert.Equal(1, layer.NumBatchesTracked!.Item());
        Assert.Equal(DType.Int64, layer.NumBatchesTracked.DType);
    }

    [Fact]
    public void EvaluationUsesTheRunningStatisticsAndChangesNothing()
    {
        var layer = new BatchNorm1d(2, dtype: DType.Float64);
        layer.Forward(Batch());
        using (new Backprop.Autograd.NoGrad())
        {
            layer.Weight!.CopyInPlace(Tensor.FromArray([2.0, 0.5]));
            layer.Bias!.CopyInPlace(Tensor.FromArray([1.0, -1.0]));
        }
        layer.Eval();
        var y = layer.Forward(Batch());
        Assert.Equal((1 - 0.4) / Math.Sqrt(0.9 + 2.0 / 3 + 1e-5) * 2 + 1, y[0, 0], 1e-14);
        Assert.Equal((2 - 0.5) / Math.Sqrt(0.9 + 4.4 / 3 + 1e-5) * 0.5 - 1, y[3, 1], 1e-14);
        Assert.Equal(1, layer.NumBatchesTracked!.Item());
        Assert.Equal([0.4, 0.5], layer.RunningMean!.ToDoubleArray(), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void NullMomentumKeepsACumulativeAverage()
    {
        var layer = new BatchNorm1d(2, momentum: null, dtype: DType.Float64);
        layer.Forward(Batch());
        layer.Forward(Batch() * 3);
        // Factors 1/1 then 1/2: the running mean is the mean of the two batch means, (4 + 12)/2 and (5 + 15)/2.
        Assert.Equal([8.0, 10.0], layer.RunningMean!.ToDoubleArray(), new ToleranceComparer(1e-14));
        Assert.Equal(2, layer.NumBatchesTracked!.Item());
    }

    [Fact]
    public void WithoutRunningStatisticsEvaluationNormalisesByTheBatch()
    {
        var layer = new BatchNorm2d(1, affine: false, trackRunningStats: false, dtype: DType.Float64);
        Assert.Empty(layer.StateDict());
        layer.Eval();
        var y = layer.Forward(Tensor.FromArray([1.0, 3.0, 5.0, 7.0], [1, 1, 2, 2]));
        Assert.Equal(-3 / Math.Sqrt(5 + 1e-5), y[0, 0, 0, 0], 1e-14);
    }

    [Fact]
    public void StateDictHoldsPyTorchsKeysAndTypes()
    {
        var model = new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(3), new ReLU());
        // torch.nn.Sequential(Conv2d(1, 3, 3), BatchNorm2d(3), ReLU()).state_dict().keys()
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], model.StateDict().Keys);
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], model.NamedBuffers().Select(b => b.Key));
        Assert.Equal(Shape.Scalar, model.StateDict()["1.num_batches_tracked"].Shape);
        Assert.Equal(4, model.Parameters().Count());

        model.Forward(Tensor.Uniform([4, 1, 5, 5], -1, 1, new Generator(1)));
        var copy = new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(3), new ReLU());
        copy.LoadStateDict(model.StateDict());
        var copied = (BatchNorm2d)copy.Layers[1];
        Assert.Equal(1, copied.NumBatchesTracked!.Item());
        Assert.Equal(((BatchNorm2d)model.Layers[1]).RunningVar!.ToFloatArray(), copied.RunningVar!.ToFloatArray());
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;
        Assert.Equal("BatchNorm2d(3) gets 2 channels from input of shape [4,2,5,5]", Message(() => new BatchNorm2d(3).Forward(Tensor.Zeros([4, 2, 5, 5]))));
        Assert.Equal("BatchNorm2d: expects input [N,C,H,W], got shape [4,3,5]", Message(() => new BatchNorm2d(3).Forward(Tensor.Zeros([4, 3, 5]))));
        Assert.Equal("BatchNorm1d: expects input [N,C] or [N,C,L], got shape [4,3,5,5]", Message(() => new BatchNorm1d(3).Forward(Tensor.Zeros([4, 3, 5, 5]))));
        Assert.Equal("batch_norm: expected more than 1 value per channel when training, got input of shape [1,3]",
            Message(() => new BatchNorm1d(3).Forward(Tensor.Zeros([1, 3]))));
        var layer = new BatchNorm1d(3);
        layer.Eval();
        Assert.Equal(new Shape(1, 3), layer.Forward(Tensor.Zeros([1, 3])).Shape); // one example is fine in evaluation
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

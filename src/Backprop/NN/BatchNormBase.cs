namespace Backprop.NN;

/// <summary>
/// What BatchNorm1d and BatchNorm2d share (PyTorch's <c>_BatchNorm</c>): per-channel weight (ones) and bias (zeros)
/// parameters when affine, and the buffers running_mean (zeros), running_var (ones) and num_batches_tracked (int64 0) when
/// tracking running statistics. In training, each batch is normalised by its own statistics and the running ones move
/// towards them by the momentum (or by 1/num_batches_tracked, a cumulative average, when the momentum is null); in
/// evaluation the running statistics normalise (the batch's own when none are tracked). See <see cref="Normalization.BatchNorm"/>.
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>A layer over <paramref name="numFeatures"/> channels with PyTorch's defaults.</summary>
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        if (numFeatures < 1) throw new ArgumentException($"{GetType().Name}: needs at least 1 feature, got {numFeatures}");
        if (dtype == DType.Int64) throw new ArgumentException($"{GetType().Name}: normalises floating-point values; {dtype} is not a floating-point dtype");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Weight = affine ? RegisterParameter("weight", Tensor.Ones([numFeatures], dtype)) : null;
        Bias = affine ? RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype)) : null;
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros(Shape.Scalar, DType.Int64));
        }
    }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public double Eps { get; }

    /// <summary>How far the running statistics move towards each batch's; null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>Whether the layer has weight and bias.</summary>
    public bool Affine => Weight is not null;

    /// <summary>Whether the layer keeps running statistics.</summary>
    public bool TrackRunningStats => RunningMean is not null;

    /// <summary>γ, shape [C] (PyTorch's <c>weight</c>), or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, shape [C] (PyTorch's <c>bias</c>), or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean, shape [C], or null when no statistics are tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running (unbiased) variance, shape [C], or null when no statistics are tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>The number of training batches seen, an int64 scalar, or null when no statistics are tracked.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        if (input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"{GetType().Name}({NumFeatures}) gets {input.Shape[1]} channels from input of shape {input.Shape}");
        }
        double factor = Momentum ?? 0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            NumBatchesTracked.AddInPlace(Tensor.Scalar(1, DType.Int64));
            factor = Momentum ?? 1 / NumBatchesTracked.Item();
        }
        return input.BatchNorm(RunningMean, RunningVar, Weight, Bias, training: IsTraining || RunningMean is null, factor, Eps);
    }

    /// <summary>Throws unless <paramref name="input"/> has a rank this layer takes.</summary>
    protected abstract void CheckInput(Tensor input);
}

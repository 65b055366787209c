namespace Backprop.NN;

/// <summary>
/// Batch normalisation of input [N, C] or [N, C, L] per channel C, as PyTorch's <c>nn.BatchNorm1d(num_features,
/// eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)</c>; see <see cref="BatchNormBase"/>.
/// </summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    DType dtype = DType.Float32) : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <inheritdoc/>
    protected override void CheckInput(Tensor input)
    {
        if (input.Rank is not (2 or 3)) throw new ArgumentException($"BatchNorm1d: expects input [N,C] or [N,C,L], got shape {input.Shape}");
    }
}

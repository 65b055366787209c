namespace Backprop.NN;

/// <summary>
/// Batch normalisation of images [N, C, H, W] per channel C, as PyTorch's <c>nn.BatchNorm2d(num_features, eps=1e-5,
/// momentum=0.1, affine=True, track_running_stats=True)</c>; see <see cref="BatchNormBase"/>.
/// </summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
    DType dtype = DType.Float32) : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <inheritdoc/>
    protected override void CheckInput(Tensor input)
    {
        if (input.Rank != 4) throw new ArgumentException($"BatchNorm2d: expects input [N,C,H,W], got shape {input.Shape}");
    }
}

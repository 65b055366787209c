namespace Backprop.Kernels;

/// <summary>
/// The arithmetic of a window sliding along one axis, as convolution and pooling share it (and the architecture text's
/// shape check, which must agree with the ops it describes): a kernel of k taps d apart spans d·(k − 1) + 1 values, and
/// over a padded size it fits ⌊(size + padding − extent) / stride⌋ + 1 times.
/// </summary>
internal static class SlidingWindow
{
    /// <summary>The values a kernel of <paramref name="kernel"/> taps, <paramref name="dilation"/> apart, spans.</summary>
    public static int Extent(int kernel, int dilation = 1) => dilation * (kernel - 1) + 1;

    /// <summary>
    /// How many windows of <paramref name="extent"/> fit in <paramref name="size"/> plus <paramref name="padding"/> (both
    /// sides together) at <paramref name="stride"/>, or null when not even one does.
    /// </summary>
    public static int? Outputs(int size, int padding, int extent, int stride) =>
        size + padding < extent ? null : (size + padding - extent) / stride + 1;

    /// <summary>
    /// Pooling pads by at most half its kernel, as PyTorch requires (a window of padding alone would have no value); doubled
    /// in long, so that an absurd padding cannot wrap around to fit.
    /// </summary>
    public static bool PoolPaddingFits(Size2d padding, Size2d kernel) => 2L * padding.Height <= kernel.Height && 2L * padding.Width <= kernel.Width;
}

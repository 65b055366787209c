namespace Backprop.NN;

/// <summary>
/// Average pooling, as PyTorch's <c>nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, count_include_pad=True)</c>:
/// the mean of each window, the zero padding counted in the divisor unless told otherwise. No parameters.
/// </summary>
public sealed class AvgPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool countIncludePad = true) : Module
{
    /// <summary>The window's height and width.</summary>
    public Size2d KernelSize { get; } = kernelSize;

    /// <summary>The step between windows (the kernel size unless given).</summary>
    public Size2d Stride { get; } = stride ?? kernelSize;

    /// <summary>The zeros added on each side.</summary>
    public Size2d Padding { get; } = padding ?? 0;

    /// <summary>Whether the padding counts in each window's divisor (PyTorch's default: it does).</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.AvgPool2d(KernelSize, Stride, Padding, CountIncludePad);
}

namespace Backprop.NN;

/// <summary>
/// Max pooling, as PyTorch's <c>nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)</c>: the largest value of each
/// window; the gradient goes to where it came from. No parameters.
/// </summary>
public sealed class MaxPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null) : Module
{
    /// <summary>The window's height and width.</summary>
    public Size2d KernelSize { get; } = kernelSize;

    /// <summary>The step between windows (the kernel size unless given).</summary>
    public Size2d Stride { get; } = stride ?? kernelSize;

    /// <summary>The padding on each side (never picked, as if −∞).</summary>
    public Size2d Padding { get; } = padding ?? 0;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.MaxPool2d(KernelSize, Stride, Padding);
}

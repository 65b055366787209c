namespace Backprop.NN;

/// <summary>
/// Adaptive average pooling, as PyTorch's <c>nn.AdaptiveAvgPool2d(output_size)</c>: whatever the input's height and
/// width, the output is <see cref="OutputSize"/>, each value the mean of its window (PyTorch's windows). No parameters.
/// </summary>
public sealed class AdaptiveAvgPool2d(Size2d outputSize) : Module
{
    /// <summary>The output's height and width.</summary>
    public Size2d OutputSize { get; } = outputSize;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.AdaptiveAvgPool2d(OutputSize);
}

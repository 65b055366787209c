namespace Backprop.NN;

/// <summary>z, or negativeSlope·z below 0, as <c>nn.LeakyReLU(negative_slope=0.01)</c>.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : ActivationModule(Activation.LeakyReLU)
{
    /// <summary>The slope below 0 (PyTorch's <c>negative_slope</c>).</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

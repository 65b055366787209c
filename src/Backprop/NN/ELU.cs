namespace Backprop.NN;

/// <summary>z, or α(eᶻ − 1) below 0, as <c>nn.ELU(alpha=1.0)</c>.</summary>
public sealed class ELU(double alpha = 1.0) : ActivationModule(Activation.ELU)
{
    /// <summary>α (PyTorch's <c>alpha</c>): far below 0 the output approaches −α.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);
}

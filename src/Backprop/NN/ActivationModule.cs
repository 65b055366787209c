namespace Backprop.NN;

/// <summary>An activation function as a layer, for <see cref="Sequential"/>; it has no parameters.</summary>
public class ActivationModule(Activation activation) : Module
{
    /// <summary>Which function this layer applies.</summary>
    public Activation Activation { get; } = activation;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Activation.Apply(input);
}

namespace Backprop.NN;

/// <summary>
/// An activation function as a layer, for <see cref="Sequential"/>; it has no parameters. Each activation has its own class
/// (<see cref="NN.ReLU"/>, <see cref="NN.LeakyReLU"/>, …), made by its <see cref="NN.Activation"/> row.
/// </summary>
public abstract class ActivationModule : Module
{
    private protected ActivationModule(Activation activation) => Activation = activation;

    /// <summary>Which function this layer applies.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Activation.Apply(input);
}

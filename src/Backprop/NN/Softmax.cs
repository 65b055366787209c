namespace Backprop.NN;

/// <summary>Softmax along <see cref="Axis"/>, as <c>nn.Softmax(dim)</c>: turns a layer's outputs into probabilities.</summary>
public sealed class Softmax(int axis = -1) : Module
{
    /// <summary>The axis the probabilities sum to 1 along.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(Axis);
}

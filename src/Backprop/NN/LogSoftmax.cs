namespace Backprop.NN;

/// <summary>Log-softmax along <see cref="Axis"/>, as <c>nn.LogSoftmax(dim)</c>: log-probabilities, computed stably.</summary>
public sealed class LogSoftmax(int axis = -1) : Module
{
    /// <summary>The axis the probabilities sum to 1 along.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Axis);
}

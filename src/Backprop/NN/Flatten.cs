namespace Backprop.NN;

/// <summary>Merges axes <c>startAxis</c>…<c>endAxis</c> (by default all but the batch axis), as <c>nn.Flatten</c>.</summary>
public sealed class Flatten(int startAxis = 1, int endAxis = -1) : Module
{
    /// <summary>The first axis merged.</summary>
    public int StartAxis { get; } = startAxis;

    /// <summary>The last axis merged (negative counts from the end).</summary>
    public int EndAxis { get; } = endAxis;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartAxis, EndAxis);
}

namespace Backprop.Autograd;

/// <summary>
/// A node whose derivative rule is a static function of the values the op saved (<typeparamref name="TState"/>, held
/// here) and the output's gradient: one object per recorded op, where a closure would add itself and its delegate.
/// </summary>
internal sealed class NodeWithState<TState> : Node
{
    private TState state;
    private Func<TState, Tensor, Tensor?[]>? backward;

    public NodeWithState(string name, Tensor[] inputs, TState state, Func<TState, Tensor, Tensor?[]> backward) : base(name, inputs)
    {
        this.state = state;
        this.backward = backward;
    }

    public override bool IsRetained => backward is not null;

    internal override Tensor?[] Apply(Tensor outputGradient) => (backward ?? throw Freed())(state, outputGradient);

    internal override void Release()
    {
        backward = null;
        state = default!;
    }
}

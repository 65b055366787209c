namespace Backprop.Autograd;

/// <summary>
/// One recorded op in the computation graph (PyTorch's <c>grad_fn</c>): its name, its inputs, and the local
/// derivative rule that turns the gradient of its output into gradients of its inputs.
/// </summary>
public sealed class Node
{
    private Func<Tensor, Tensor?[]>? backward;

    internal Node(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        Name = name;
        Inputs = inputs;
        this.backward = backward;
    }

    /// <summary>The op's name, such as <c>mul</c> or <c>matmul</c>.</summary>
    public string Name { get; }

    /// <summary>Where in the model the op was created (such as "layer 2 (Linear)"); recorded only in anomaly mode.</summary>
    public string? CreatedIn { get; internal init; }

    /// <summary>The tensors the op read.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>False once a backward pass without <c>retainGraph</c> has released the values this op saved.</summary>
    public bool IsRetained => backward is not null;

    /// <summary>
    /// Applies the chain rule at this op: given dL/d(output), returns dL/d(input) for each input (null where none is needed),
    /// possibly still in the output's broadcast shape.
    /// </summary>
    internal Tensor?[] Apply(Tensor outputGradient)
    {
        var rule = backward ?? throw new InvalidOperationException(
            $"backward: the graph through '{Name}' was freed by an earlier Backward(); call Backward(retainGraph: true) the first time to go through it twice");
        return rule(outputGradient);
    }

    /// <summary>Drops the closure and with it every tensor the op saved for backward.</summary>
    internal void Release() => backward = null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

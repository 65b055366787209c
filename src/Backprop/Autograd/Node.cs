namespace Backprop.Autograd;

/// <summary>
/// One recorded op in the computation graph (PyTorch's <c>grad_fn</c>): its name, its inputs, and the local
/// derivative rule that turns the gradient of its output into gradients of its inputs.
/// </summary>
public abstract class Node
{
    private protected Node(string name, Tensor[] inputs)
    {
        Name = name;
        Inputs = inputs;
    }

    /// <summary>The op's name, such as <c>mul</c> or <c>matmul</c>.</summary>
    public string Name { get; }

    /// <summary>Where in the model the op was created (such as "layer 2 (Linear)"); recorded only in anomaly mode.</summary>
    public string? CreatedIn { get; internal init; }

    /// <summary>The tensors the op read.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>False once a backward pass without <c>retainGraph</c> has released the values this op saved.</summary>
    public abstract bool IsRetained { get; }

    /// <summary>
    /// Applies the chain rule at this op: given dL/d(output), returns dL/d(input) for each input (null where none is needed),
    /// possibly still in the output's broadcast shape.
    /// </summary>
    internal abstract Tensor?[] Apply(Tensor outputGradient);

    /// <summary>Drops every tensor the op saved for backward.</summary>
    internal abstract void Release();

    /// <summary>The error for a second backward pass through a released op.</summary>
    private protected InvalidOperationException Freed() => new(
        $"backward: the graph through '{Name}' was freed by an earlier Backward(); call Backward(retainGraph: true) the first time to go through it twice");

    /// <inheritdoc/>
    public override string ToString() => Name;
}

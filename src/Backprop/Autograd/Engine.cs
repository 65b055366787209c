namespace Backprop.Autograd;

/// <summary>The backward pass: reverse topological order without recursion, gradients summed where paths meet.</summary>
internal static class Engine
{
    /// <summary>The walk's collections, kept between backward passes on a thread so that a training step does not reallocate them.</summary>
    private sealed class Workspace
    {
        public readonly Dictionary<Tensor, Tensor> Grads = new(ReferenceEqualityComparer.Instance);
        public readonly GraphWalk Walk = new();

        /// <summary>Empties every collection, so that no tensor stays reachable from here.</summary>
        public void Clear()
        {
            Grads.Clear();
            Walk.Clear();
        }
    }

    [ThreadStatic] private static Workspace? idleWorkspace;

    public static void Backward(Tensor root, Tensor? gradient, bool retainGraph)
    {
        // A backward pass started from inside another (none is, today) simply gets a workspace of its own.
        var workspace = idleWorkspace ?? new Workspace();
        idleWorkspace = null;
        try
        {
            Run(root, gradient, retainGraph, workspace);
        }
        finally
        {
            workspace.Clear();
            idleWorkspace = workspace;
        }
    }

    private static void Run(Tensor root, Tensor? gradient, bool retainGraph, Workspace workspace)
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException("backward: this tensor does not require grad and has no grad_fn; set RequiresGrad = true on the leaves you want gradients for");
        }
        var seed = SeedGradient(root, gradient);

        using var _ = new NoGrad();
        var grads = workspace.Grads;
        grads[root] = seed;
        // Every tensor that requires grad reachable from the root, inputs before the ops that read them; walked in reverse.
        workspace.Walk.Run(root, gradientsOnly: true);
        var order = workspace.Walk.Order;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var tensor = order[i];
            bool reached = grads.Remove(tensor, out var grad);
            if (reached && (tensor.IsLeaf || tensor.RetainsGrad)) Accumulate(tensor, grad!);
            // Every op that reads a tensor comes after it in the order, so a leaf's gradient is final here, also when the
            // rules wrote it straight into the leaf's buffer and nothing reached this point.
            if (tensor.IsLeaf)
            {
                tensor.RunPostAccumulateGradHooks();
                continue;
            }
            if (!reached) continue;

            var node = tensor.GradFn!;
            var inputGrads = AnomalyMode.IsEnabled ? AnomalyMode.ApplyCheckedBackwardRule(node, grad!) : node.Apply(grad!);
            if (!retainGraph) node.Release();
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                var input = node.Inputs[k];
                if (!input.RequiresGrad || inputGrads[k] is not { } inputGrad) continue;
                inputGrad = inputGrad.SumTo(input.Shape);
                grads[input] = grads.TryGetValue(input, out var sum) ? sum + inputGrad : inputGrad;
            }
        }
    }

    private static Tensor SeedGradient(Tensor root, Tensor? gradient)
    {
        if (gradient is null)
        {
            if (root.Count != 1)
            {
                throw new InvalidOperationException($"backward: a gradient can be implied only for a scalar output, but this tensor has shape {root.Shape}; pass Backward(gradient) with a tensor of that shape");
            }
            return Tensor.Ones(root.Shape, root.DType);
        }
        if (gradient.Shape != root.Shape)
        {
            throw new ArgumentException($"backward: gradient of shape {gradient.Shape} does not match the tensor's shape {root.Shape}");
        }
        return gradient.DType == root.DType ? gradient.Detach() : gradient.Detach().To(root.DType);
    }

    /// <summary>
    /// Adds into <see cref="Tensor.Grad"/>: in place when it already holds a gradient of the right shape and dtype (as
    /// PyTorch does), otherwise into a new tensor made outside any <see cref="TensorScope"/>, since gradients outlive the
    /// step that computes them. A fresh gradient is copied, so that no two tensors share one.
    /// </summary>
    private static void Accumulate(Tensor tensor, Tensor grad)
    {
        if (tensor.TryOverwriteZeroedGrad(grad)) return;
        if (tensor.Grad is { } existing && !existing.IsReleased && existing.Shape == grad.Shape && existing.DType == grad.DType && !existing.RequiresGrad)
        {
            existing.AddInPlace(grad);
            return;
        }
        using (TensorScope.Suspend()) tensor.Grad = tensor.Grad is null ? grad.Clone() : tensor.Grad + grad;
    }
}

namespace Backprop;

public sealed partial class Tensor
{
    private List<Action<Tensor>>? postAccumulateGradHooks;

    /// <summary>
    /// Calls <paramref name="hook"/> with this leaf during every backward pass that reaches it, as soon as the pass has
    /// finished with it: its <see cref="Grad"/> then holds everything this pass adds (PyTorch's
    /// <c>register_post_accumulate_grad_hook</c>). The rest of the pass is still to run, which is what lets data-parallel
    /// training start averaging a layer's gradients while the layers below it are still being differentiated. Dispose of
    /// the returned handle to remove the hook.
    /// </summary>
    public IDisposable RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        if (!IsLeaf || !RequiresGrad) throw new InvalidOperationException("RegisterPostAccumulateGradHook: only a leaf that requires grad accumulates a gradient");
        var hooks = postAccumulateGradHooks ??= [];
        hooks.Add(hook);
        return new HookHandle(hooks, hook);
    }

    /// <summary>Called by the backward pass once it has finished with this leaf.</summary>
    internal void RunPostAccumulateGradHooks()
    {
        if (postAccumulateGradHooks is not { } hooks) return;
        for (int i = 0; i < hooks.Count; i++) hooks[i](this);
    }

    private sealed class HookHandle(List<Action<Tensor>> hooks, Action<Tensor> hook) : IDisposable
    {
        public void Dispose() => hooks.Remove(hook);
    }
}

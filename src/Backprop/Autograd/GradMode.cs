namespace Backprop.Autograd;

/// <summary>Whether ops record the graph on this thread (PyTorch's <c>torch.is_grad_enabled()</c>).</summary>
public static class GradMode
{
    [ThreadStatic] private static bool disabled;

    /// <summary>True unless a <see cref="NoGrad"/> scope is open on this thread.</summary>
    public static bool IsEnabled
    {
        get => !disabled;
        internal set => disabled = !value;
    }
}

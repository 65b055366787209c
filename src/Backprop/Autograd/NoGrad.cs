namespace Backprop.Autograd;

/// <summary>
/// A scope in which ops record no graph, for inference and for updating weights:
/// <c>using (new NoGrad()) { ... }</c>, as PyTorch's <c>with torch.no_grad():</c>. Scopes nest.
/// </summary>
public sealed class NoGrad : IDisposable
{
    private readonly bool previous = GradMode.IsEnabled;

    /// <summary>Opens the scope on this thread.</summary>
    public NoGrad() => GradMode.IsEnabled = false;

    /// <summary>Restores the recording state from before the scope.</summary>
    public void Dispose() => GradMode.IsEnabled = previous;
}

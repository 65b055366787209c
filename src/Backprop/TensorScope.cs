namespace Backprop;

/// <summary>
/// Recycles the memory of short-lived tensors, as TorchSharp's dispose scopes do: every tensor made on this thread while
/// the scope is open gives its values back when the scope ends, for the next tensors of the same size, so a training loop
/// that opens one scope per step stops allocating large arrays after its first step. A tensor needed afterwards is kept
/// with <see cref="Keep"/>; any other one throws if used after the scope. Without a scope, tensors are ordinary garbage-
/// collected objects and nothing here applies. Scopes nest; <see cref="Suspend"/> makes tensors that must outlive it
/// (gradients, optimizer state).
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;

    private readonly TensorScope? outer;
    private readonly List<Tensor> tracked = [];
    private readonly HashSet<Tensor> kept = new(ReferenceEqualityComparer.Instance);
    private bool ended;

    /// <summary>Opens a scope on this thread.</summary>
    public TensorScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>True while a scope is open (and not suspended) on this thread.</summary>
    internal static bool IsActive => current is not null;

    internal static void Track(Tensor tensor) => current?.tracked.Add(tensor);

    /// <summary>
    /// Keeps <paramref name="tensor"/> (and the tensor it is a view of) past the end of this scope: it passes to the
    /// enclosing scope, or to the garbage collector when there is none. Returns the tensor.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        for (var t = tensor; t is not null; t = t.ViewOf)
        {
            if (kept.Add(t)) outer?.tracked.Add(t);
        }
        return tensor;
    }

    /// <summary>Ends the scope: every tracked tensor not kept gives its values back.</summary>
    public void Dispose()
    {
        if (ended) return;
        ended = true;
        current = outer;
        foreach (var tensor in tracked)
        {
            if (!kept.Contains(tensor)) tensor.Release();
        }
    }

    /// <summary>Until the returned value is disposed, tensors on this thread are made outside any scope, for values that must outlive it.</summary>
    public static Suspension Suspend() => new(current);

    /// <summary>A pause in the scopes of this thread; disposing it resumes them.</summary>
    public readonly struct Suspension : IDisposable
    {
        private readonly TensorScope? paused;

        internal Suspension(TensorScope? paused)
        {
            this.paused = paused;
            current = null;
        }

        /// <summary>Resumes the paused scope.</summary>
        public void Dispose() => current = paused;
    }
}

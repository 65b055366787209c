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

    /// <summary>
    /// The collections of ended scopes on this thread, emptied, for the next scopes to take: a training loop opens a scope
    /// per step, and growing new lists to a step's few hundred tensors each time would be most of what a step allocates.
    /// </summary>
    [ThreadStatic] private static Collections? spare;

    private readonly TensorScope? outer;
    private Collections? collections;

    /// <summary>Opens a scope on this thread.</summary>
    public TensorScope()
    {
        collections = spare ?? new Collections();
        spare = collections.NextSpare;
        collections.NextSpare = null;
        outer = current;
        current = this;
    }

    /// <summary>What a scope tracks; once the scope ends, a link in the thread's list of spares.</summary>
    private sealed class Collections
    {
        public readonly List<Tensor> Tracked = [];
        public readonly HashSet<Tensor> Kept = new(ReferenceEqualityComparer.Instance);
        public Collections? NextSpare;
    }

    /// <summary>True while a scope is open (and not suspended) on this thread.</summary>
    internal static bool IsActive => current is not null;

    internal static void Track(Tensor tensor) => current?.collections?.Tracked.Add(tensor);

    /// <summary>
    /// Keeps <paramref name="tensor"/> (and the tensor it is a view of) past the end of this scope: it passes to the
    /// enclosing scope, or to the garbage collector when there is none. Returns the tensor.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        // The collections of an ended scope belong to another scope by now.
        var own = collections ?? throw new InvalidOperationException("TensorScope.Keep: the scope has ended and released its tensors");
        for (var t = tensor; t is not null; t = t.ViewOf)
        {
            if (own.Kept.Add(t)) outer?.collections?.Tracked.Add(t);
        }
        return tensor;
    }

    /// <summary>Ends the scope: every tracked tensor not kept gives its values back.</summary>
    public void Dispose()
    {
        if (collections is not { } own) return;
        collections = null;
        current = outer;
        foreach (var tensor in own.Tracked)
        {
            if (!own.Kept.Contains(tensor)) tensor.Release();
        }
        own.Tracked.Clear();
        own.Kept.Clear();
        own.NextSpare = spare;
        spare = own;
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

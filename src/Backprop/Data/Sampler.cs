using System.Collections;

namespace Backprop.Data;

/// <summary>
/// The order in which a <see cref="DataLoader"/> visits a data set's examples, as PyTorch's <c>Sampler</c>: each
/// enumeration is one epoch's example indices, <see cref="Count"/> of them.
/// </summary>
public abstract class Sampler : IEnumerable<int>
{
    /// <summary>How many indices one epoch gives.</summary>
    public abstract int Count { get; }

    /// <summary>The indices of the next epoch, in the order they are visited.</summary>
    public abstract IEnumerator<int> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

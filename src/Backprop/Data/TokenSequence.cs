using System.Numerics.Tensors;

namespace Backprop.Data;

/// <summary>
/// A run of tokens kept compactly: two bytes a token while the vocabulary has at most 65,536 entries, four beyond, so a
/// 100 MB text is 200 MB of tokens, not 800 MB of int64. A split of a <see cref="TextCorpus"/> is a view of the corpus's
/// tokens, not a copy.
/// </summary>
public sealed class TokenSequence
{
    private readonly Array storage; // ushort[] or int[]
    private readonly int start;

    internal TokenSequence(Array storage, int start, int count, string name)
    {
        this.storage = storage;
        this.start = start;
        Count = count;
        Name = name;
    }

    /// <summary>What the tokens are (a file and its split), for messages.</summary>
    public string Name { get; }

    /// <summary>How many tokens there are.</summary>
    public int Count { get; }

    /// <summary>Bytes each token takes: 2 for a vocabulary of at most 65,536 entries, else 4.</summary>
    public int BytesPerToken => storage is ushort[] ? sizeof(ushort) : sizeof(int);

    /// <summary>The token at <paramref name="index"/>.</summary>
    public int this[int index] =>
        (uint)index < (uint)Count
            ? storage is ushort[] narrow ? narrow[start + index] : ((int[])storage)[start + index]
            : throw new ArgumentOutOfRangeException(nameof(index), $"{Name}: token {index} of {Count}");

    /// <summary>Copies the tokens from <paramref name="index"/> on into <paramref name="destination"/> (all of it), widened to int64 as tensors hold them.</summary>
    public void CopyTo(int index, Span<long> destination)
    {
        if (index < 0 || (long)index + destination.Length > Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{Name}: tokens {index} to {(long)index + destination.Length} of {Count}");
        if (storage is ushort[] narrow) TensorPrimitives.ConvertTruncating<ushort, long>(narrow.AsSpan(start + index, destination.Length), destination);
        else TensorPrimitives.ConvertTruncating<int, long>(((int[])storage).AsSpan(start + index, destination.Length), destination);
    }

    /// <summary>Tokens <paramref name="index"/> to <paramref name="index"/> + <paramref name="count"/> − 1, sharing this sequence's storage.</summary>
    internal TokenSequence Slice(int index, int count, string name) => new(storage, start + index, count, name);
}

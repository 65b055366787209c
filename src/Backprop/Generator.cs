namespace Backprop;

/// <summary>
/// The project's own pseudo-random number generator (xoshiro256**, seeded through SplitMix64).
/// Its sequence is part of Backprop's contract, unlike <see cref="System.Random"/>'s: the same seed
/// gives the same numbers on every machine and every .NET version. Not thread-safe; give each thread its own.
/// </summary>
public sealed class Generator
{
    private ulong s0, s1, s2, s3;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed = 0) => ManualSeed(seed);

    /// <summary>The generator used when a method is given none (as <c>torch.manual_seed</c> seeds PyTorch's).</summary>
    public static Generator Default { get; } = new();

    /// <summary>Restarts the sequence from <paramref name="seed"/>.</summary>
    public void ManualSeed(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1), from the top 24 bits (a rounded double could reach 1).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentException($"NextInt: exclusiveMax must be positive, got {exclusiveMax}");
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
            if (low >= threshold) return (int)high;
        }
    }

    /// <summary>A standard normal sample (Box–Muller; two uniforms per sample, so the state stays four words).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: keeps the logarithm finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// Puts <paramref name="items"/> in a uniformly random order, in place (Fisher–Yates, from the last item down,
    /// one <see cref="NextInt"/> per swap), as .NET's <c>Random.Shuffle</c> does with its own sequence.
    /// </summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The generator's four state words, as PyTorch's <c>get_state</c>: restoring them continues the same sequence.</summary>
    public ulong[] GetState() => [s0, s1, s2, s3];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4 || state.All(word => word == 0)) throw new ArgumentException("generator: a state is four words, not all zero");
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

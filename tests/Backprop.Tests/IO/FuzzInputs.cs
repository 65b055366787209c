using System.Security.Cryptography;
using CsCheck;

namespace Backprop.Tests.IO;

/// <summary>
/// A fixed sequence of generated inputs for a fuzz test. CsCheck's <c>Sample(…, seed:)</c> fixes only the first iteration
/// and draws the rest from fresh seeds, so each run would test different inputs and a failure could not be replayed.
/// Here every input is generated from a seed that follows from the one before it, starting from a fixed seed: every run
/// checks the same inputs, a failure names its input's seed, and <see cref="Replay"/> regenerates that input from it.
/// </summary>
internal static class FuzzInputs
{
    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="count"/> inputs drawn from <paramref name="gen"/>, starting at
    /// <paramref name="startSeed"/>, and returns the SHA-256 of all of them (hex), which a test pins to show that the
    /// inputs are the same in every run.
    /// </summary>
    public static string Check(Gen<byte[]> gen, int count, string startSeed, Action<byte[]> check)
    {
        var random = PCG.Parse(startSeed);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = 0; i < count; i++)
        {
            string seed = random.ToString();
            byte[] input = gen.Generate(random, null, out _);
            digest.AppendData(BitConverter.GetBytes(input.Length));
            digest.AppendData(input);
            try
            {
                check(input);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"fuzz input {i} of {count} failed; replay it with FuzzInputs.Replay(gen, \"{seed}\") " +
                    $"({input.Length} bytes: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 64)))}{(input.Length > 64 ? "…" : "")})", e);
            }
        }
        return Convert.ToHexString(digest.GetHashAndReset());
    }

    /// <summary>The input that <see cref="Check"/> generated from <paramref name="seed"/> (as its failure message names it).</summary>
    public static byte[] Replay(Gen<byte[]> gen, string seed) => gen.Generate(PCG.Parse(seed), null, out _);
}

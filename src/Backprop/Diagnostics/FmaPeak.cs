using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Diagnostics;

/// <summary>
/// Measures this machine's float32 fused multiply-add peak: each thread runs chains of independent vector FMAs that never
/// touch memory, so the figure is what the cores can do at best, the yardstick for GEMM's GFLOP/s.
/// </summary>
public static class FmaPeak
{
    private const int Iterations = 20_000_000;

    /// <summary>GFLOP/s (2 flops per multiply-add per lane) with <paramref name="threads"/> threads, best of <paramref name="repeats"/>.</summary>
    public static double Measure(int threads, int repeats = 3)
    {
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            long flops = 0;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Interlocked.Add(ref flops, Chain()));
            best = Math.Max(best, flops / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>Ten independent accumulators hide the FMA latency; returns the flops done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Chain()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.999999f);
            var add = Vector512.Create(1e-7f);
            Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m;
            for (int i = 0; i < Iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, add); a1 = Vector512.FusedMultiplyAdd(a1, m, add);
                a2 = Vector512.FusedMultiplyAdd(a2, m, add); a3 = Vector512.FusedMultiplyAdd(a3, m, add);
                a4 = Vector512.FusedMultiplyAdd(a4, m, add); a5 = Vector512.FusedMultiplyAdd(a5, m, add);
                a6 = Vector512.FusedMultiplyAdd(a6, m, add); a7 = Vector512.FusedMultiplyAdd(a7, m, add);
                a8 = Vector512.FusedMultiplyAdd(a8, m, add); a9 = Vector512.FusedMultiplyAdd(a9, m, add);
            }
            Sink(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
            return 10L * Iterations * 2 * Vector512<float>.Count;
        }
        var n = Vector256.Create(0.999999f);
        var b = Vector256.Create(1e-7f);
        Vector256<float> b0 = n, b1 = n, b2 = n, b3 = n, b4 = n, b5 = n, b6 = n, b7 = n, b8 = n, b9 = n;
        for (int i = 0; i < Iterations; i++)
        {
            b0 = Vector256.FusedMultiplyAdd(b0, n, b); b1 = Vector256.FusedMultiplyAdd(b1, n, b);
            b2 = Vector256.FusedMultiplyAdd(b2, n, b); b3 = Vector256.FusedMultiplyAdd(b3, n, b);
            b4 = Vector256.FusedMultiplyAdd(b4, n, b); b5 = Vector256.FusedMultiplyAdd(b5, n, b);
            b6 = Vector256.FusedMultiplyAdd(b6, n, b); b7 = Vector256.FusedMultiplyAdd(b7, n, b);
            b8 = Vector256.FusedMultiplyAdd(b8, n, b); b9 = Vector256.FusedMultiplyAdd(b9, n, b);
        }
        Sink(b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9);
        return 10L * Iterations * 2 * Vector256<float>.Count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sink<T>(T value) => GC.KeepAlive(value);
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Backprop.Kernels;

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
    private static long Chain() =>
        Vector512.IsHardwareAccelerated ? Chain<Vector512Ops, Vector512<float>>() : Chain<Vector256Ops, Vector256<float>>();

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Chain<TOps, TVector>()
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        var m = TOps.Broadcast(0.999999f);
        var add = TOps.Broadcast(1e-7f);
        TVector a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, add); a1 = TOps.MultiplyAdd(a1, m, add);
            a2 = TOps.MultiplyAdd(a2, m, add); a3 = TOps.MultiplyAdd(a3, m, add);
            a4 = TOps.MultiplyAdd(a4, m, add); a5 = TOps.MultiplyAdd(a5, m, add);
            a6 = TOps.MultiplyAdd(a6, m, add); a7 = TOps.MultiplyAdd(a7, m, add);
            a8 = TOps.MultiplyAdd(a8, m, add); a9 = TOps.MultiplyAdd(a9, m, add);
        }
        GC.KeepAlive(TOps.Sum(a0) + TOps.Sum(a1) + TOps.Sum(a2) + TOps.Sum(a3) + TOps.Sum(a4) + TOps.Sum(a5) + TOps.Sum(a6) + TOps.Sum(a7) + TOps.Sum(a8) + TOps.Sum(a9));
        return 10L * Iterations * 2 * TOps.Width;
    }
}

using System.Diagnostics;
using Backprop.Distributed;

/// <summary>
/// Under mpirun -np N: the median time of a sum all-reduce of float32 buffers from 4 bytes to 64 MiB, through
/// ProcessGroup.AllReduce (started non-blocking and waited on by polling, as training waits), after a barrier per
/// repetition so that every rank starts together. Rank 0 prints one row per size: median and fastest microseconds, the
/// algorithm bandwidth (bytes / time) and the bus bandwidth (2(N−1)/N · bytes / time, the traffic each rank's link
/// carries in a ring all-reduce, comparable across N).
/// </summary>
internal static class AllReduceTiming
{
    public static void Run(ProcessGroup group, int repetitions)
    {
        int n = group.WorldSize;
        if (group.Rank == 0)
        {
            Console.WriteLine($"all-reduce (sum, float32) over {n} processes, {repetitions} repetitions per size");
            Console.WriteLine($"{"bytes",10} {"median us",10} {"fastest us",10} {"algbw GB/s",10} {"busbw GB/s",10}");
        }
        for (int bytes = 4; bytes <= 64 << 20; bytes *= 4)
        {
            var buffer = new float[bytes / sizeof(float)];
            var times = new double[repetitions];
            group.AllReduce<float>(buffer); // warm-up: connections and buffers of this size
            for (int i = 0; i < repetitions; i++)
            {
                group.Barrier();
                long start = Stopwatch.GetTimestamp();
                group.AllReduce<float>(buffer);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            // Each repetition's time is the mean of the ranks' times (they start together, after the barrier).
            group.AllReduce<double>(times);
            for (int i = 0; i < repetitions; i++) times[i] /= n;
            Array.Sort(times);
            double median = times[repetitions / 2], fastest = times[0];
            double algorithmBandwidth = bytes / (median * 1e-6) / 1e9;
            if (group.Rank == 0)
            {
                Console.WriteLine($"{bytes,10} {median,10:F1} {fastest,10:F1} {algorithmBandwidth,10:F3} {algorithmBandwidth * 2 * (n - 1) / n,10:F3}");
            }
        }
    }
}

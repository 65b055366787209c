using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>A function of doubles computed a whole <see cref="Vector{T}"/> at a time, lane by lane.</summary>
internal interface ILaneFunction
{
    static abstract Vector<double> Apply(Vector<double> x);
}

/// <summary>
/// y = f(x) element by element through an <see cref="ILaneFunction"/> in double: float inputs are widened (exactly) and
/// each result rounded once back to float, so a float tensor gets the double formula's value to the nearest float.
/// The last partial vector is computed in a zero-padded buffer, so every element goes through the same code. Long spans
/// are cut into a part per thread; each element's value does not depend on the cut.
/// </summary>
internal static class LaneMap
{
    /// <summary>Spans at least this long are shared between threads (a GPT's MLP activation is 400,000 elements).</summary>
    private const int ParallelLength = 32768;

    public static unsafe void Run<T, TFunction>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : ILaneFunction
    {
        int parts = Math.Min(Threads.Count, x.Length / (ParallelLength / 2));
        if (parts < 2)
        {
            Serial<T, TFunction>(x, y);
            return;
        }
        fixed (T* xPtr = x, yPtr = y)
        {
            var job = Job<T, TFunction>.ForThisThread;
            job.Set(xPtr, yPtr, x.Length, parts);
            WorkerPool.Run(job, parts);
        }
    }

    private static void Serial<T, TFunction>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : ILaneFunction
    {
        if (typeof(T) == typeof(float)) Floats<TFunction>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else Doubles<TFunction>(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(y));
    }

    private static void Floats<TFunction>(ReadOnlySpan<float> x, Span<float> y) where TFunction : ILaneFunction
    {
        int width = Vector<float>.Count, i = 0;
        for (; i + width <= x.Length; i += width)
        {
            Vector.Widen(new Vector<float>(x[i..]), out var low, out var high);
            Vector.Narrow(TFunction.Apply(low), TFunction.Apply(high)).CopyTo(y[i..]);
        }
        if (i == x.Length) return;
        Span<float> last = stackalloc float[width];
        last.Clear();
        x[i..].CopyTo(last);
        Floats<TFunction>(last, last);
        last[..(x.Length - i)].CopyTo(y[i..]);
    }

    private static void Doubles<TFunction>(ReadOnlySpan<double> x, Span<double> y) where TFunction : ILaneFunction
    {
        int width = Vector<double>.Count, i = 0;
        for (; i + width <= x.Length; i += width) TFunction.Apply(new Vector<double>(x[i..])).CopyTo(y[i..]);
        if (i == x.Length) return;
        Span<double> last = stackalloc double[width];
        last.Clear();
        x[i..].CopyTo(last);
        Doubles<TFunction>(last, last);
        last[..(x.Length - i)].CopyTo(y[i..]);
    }

    /// <summary>Equal runs of the span, cut at multiples of a float vector's width.</summary>
    private sealed unsafe class Job<T, TFunction> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : ILaneFunction
    {
        [ThreadStatic] private static Job<T, TFunction>? cached;
        private T* x, y;
        private int length, parts;

        public static Job<T, TFunction> ForThisThread => cached ??= new();

        public void Set(T* x, T* y, int length, int parts)
        {
            this.x = x;
            this.y = y;
            this.length = length;
            this.parts = parts;
        }

        public void Run(int part)
        {
            int start = Boundary(part), end = Boundary(part + 1);
            Serial<T, TFunction>(new ReadOnlySpan<T>(x + start, end - start), new Span<T>(y + start, end - start));
        }

        private int Boundary(int part) => part == parts ? length : (int)((long)length * part / parts) / Vector<float>.Count * Vector<float>.Count;
    }
}

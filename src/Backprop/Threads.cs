using System.Globalization;

namespace Backprop;

/// <summary>
/// How many threads Backprop's kernels use: the caller's and <see cref="Count"/> − 1 workers of the library's own pool,
/// started the first time a product is large enough to share (never by loading the library). The default is the
/// machine's cores, or the <c>BACKPROP_THREADS</c> environment variable; in the browser, one. Results are bit-identical
/// for every count: work is split where it does not change the order of any sum.
/// </summary>
public static class Threads
{
    /// <summary>The environment variable that sets the default <see cref="Count"/>.</summary>
    public const string EnvironmentVariable = "BACKPROP_THREADS";

    private static int count = DefaultCount();

    /// <summary>The threads a kernel may use, at least 1.</summary>
    public static int Count
    {
        get => count;
        set => count = value >= 1 ? value : throw new ArgumentException($"threads: the count must be at least 1, got {value}");
    }

    /// <summary>BACKPROP_THREADS when it holds a count of at least 1, else the machine's cores (one in the browser, whose .NET runtime has one thread).</summary>
    private static int DefaultCount()
    {
        if (OperatingSystem.IsBrowser()) return 1;
        return int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : Environment.ProcessorCount;
    }
}

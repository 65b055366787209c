namespace Backprop.Tests;

/// <summary>Graphviz for the tests that render DOT: .ci/run installs it and fails on a skipped test, so in CI these always run.</summary>
internal static class Graphviz
{
    /// <summary>The path of Graphviz's <c>dot</c>; skips the calling test (a SkippableFact) on a machine without it.</summary>
    public static string Dot()
    {
        string? dot = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(dir => Path.Combine(dir, "dot")).FirstOrDefault(File.Exists);
        Skip.If(dot is null, "Graphviz `dot` is not installed here (apt-get install graphviz; .ci/run installs it)");
        return dot!;
    }
}

namespace Backprop.Tests;

/// <summary>Files of the repository the tests run from (found by walking up to Backprop.slnx).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Backprop.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Backprop.slnx) not found above " + AppContext.BaseDirectory);
    }
}

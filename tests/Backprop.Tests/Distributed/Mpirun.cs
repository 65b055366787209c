using System.Diagnostics;

namespace Backprop.Tests.Distributed;

/// <summary>
/// Starts tests/Backprop.MpiTestApp under Open MPI's <c>mpirun</c> (as root, as CI runs, with
/// <c>--allow-run-as-root</c>; <c>--oversubscribe</c> for more ranks than cores) and captures what the ranks print.
/// </summary>
internal static class Mpirun
{
    private static readonly string App = Path.Combine(AppContext.BaseDirectory, "Backprop.MpiTestApp.dll");

    /// <summary>Runs the test program's <paramref name="args"/> on <paramref name="ranks"/> processes; fails the test past <paramref name="timeoutSeconds"/>.</summary>
    public static (int Code, string Output, string Error, TimeSpan Elapsed) Run(int ranks, string[] args, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "dotnet", App, .. args]) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mpirun {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }
}

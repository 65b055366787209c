using System.Diagnostics;

namespace Backprop.Tests.Distributed;

/// <summary>
/// Starts tests/Backprop.MpiTestApp or the backprop command under Open MPI's <c>mpirun</c> (as root, as CI runs, with
/// <c>--allow-run-as-root</c>; <c>--oversubscribe</c> for more ranks than cores) and captures what the ranks print.
/// </summary>
internal static class Mpirun
{
    private static readonly string App = Path.Combine(AppContext.BaseDirectory, "Backprop.MpiTestApp.dll");
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Backprop.Cli.dll");

    /// <summary>Runs the test program's <paramref name="args"/> on <paramref name="ranks"/> processes; fails the test past <paramref name="timeoutSeconds"/>.</summary>
    public static (int Code, string Output, string Error, TimeSpan Elapsed) Run(int ranks, string[] args, int timeoutSeconds = 120) =>
        Wait(Start(App, ranks, args), args, timeoutSeconds);

    /// <summary>Runs <c>backprop</c> with <paramref name="args"/> on <paramref name="ranks"/> processes.</summary>
    public static (int Code, string Output, string Error, TimeSpan Elapsed) RunBackprop(int ranks, string[] args, int timeoutSeconds = 120) =>
        Wait(Start(Cli, ranks, args), args, timeoutSeconds);

    /// <summary>True where Open MPI's <c>mpirun</c> is on the PATH.</summary>
    public static bool IsInstalled { get; } =
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(dir => File.Exists(Path.Combine(dir, "mpirun"))) ?? false;

    /// <summary>Skips the calling test (a SkippableFact) on a machine without Open MPI; .ci/run installs it and fails on a skipped test.</summary>
    public static void SkipUnlessInstalled() => Skip.IfNot(IsInstalled, "Open MPI's mpirun is not installed here (apt-get install openmpi-bin; .ci/run installs it)");

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/> on <paramref name="ranks"/> processes, without waiting.</summary>
    public static Process Start(string program, int ranks, string[] args)
    {
        SkipUnlessInstalled();
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "dotnet", program, .. args]) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    /// <summary>The path of the backprop command's assembly, for <see cref="Start"/>.</summary>
    public static string BackpropProgram => Cli;

    private static (int Code, string Output, string Error, TimeSpan Elapsed) Wait(Process started, string[] args, int timeoutSeconds)
    {
        var clock = Stopwatch.StartNew();
        using var process = started;
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

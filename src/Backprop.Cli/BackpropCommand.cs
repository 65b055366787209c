using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.CommandLine.Help;
using Backprop.IO;

namespace Backprop.Cli;

/// <summary>
/// The <c>backprop</c> command line. User errors (bad options, bad input, files that cannot be read or written) print one
/// line to standard error and exit with code 2, never a stack trace; anything else is a bug, and shows its stack trace.
/// </summary>
internal static class BackpropCommand
{
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // A plain command named "backprop" rather than RootCommand, whose name would be the assembly's (Backprop.Cli).
        var root = new Command("backprop", "Backprop: neural networks trained by backpropagation, every number explained.")
        {
            new HelpOption(),
            new VersionOption { Action = new PrintVersion() },
            DemoCommand.Create(),
            ExplainCommand.Create(),
            GraphCommand.Create(),
            Plots.PlotCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            PredictCommand.Create(),
            GenerateCommand.Create(),
            ExportCommand.Create(),
            BenchCommand.Create(),
        };
        var threads = new Option<int?>("--threads")
        {
            Description = $"Threads the kernels use (default: the machine's cores, or {Threads.EnvironmentVariable})",
            Recursive = true,
        };
        root.Options.Add(threads);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, whatever the parser's message looks like.
            error.WriteLine($"backprop: {string.Join(' ', parsed.Errors[0].Message.Split(['\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))}");
            return UsageError;
        }
        int defaultThreads = Threads.Count;
        try
        {
            if (parsed.GetValue(threads) is { } count) Threads.Count = count;
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"backprop: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (MissingNativeLibrary(e) is { } missing)
        {
            error.WriteLine($"backprop: {missing}");
            return UsageError;
        }
        finally
        {
            Threads.Count = defaultThreads; // the count is the process's: a run in-process (the tests) leaves it as it found it
        }
    }

    /// <summary>
    /// <c>--version</c>: the tool's package version (Directory.Build.props). System.CommandLine's own action prints the
    /// entry assembly's, which is the test host's when the command runs in-process.
    /// </summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var version = typeof(BackpropCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            parseResult.InvocationConfiguration.Output.WriteLine(version);
            return 0;
        }
    }

    /// <summary>
    /// The one line for a native library that did not load. Plots draw with SkiaSharp, whose native libraries lie beside
    /// the Native AOT binary only where its folder was copied whole; the loader reports that from a type initializer, in
    /// several lines, so it gets a line of its own. Any other (Open MPI's, for --distributed) comes with a one-line
    /// message naming the fix, which is the line.
    /// </summary>
    internal static string? MissingNativeLibrary(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not DllNotFoundException missing) continue;
            if (missing.Message.Contains("SkiaSharp", StringComparison.Ordinal) || missing.Message.Contains("HarfBuzzSharp", StringComparison.Ordinal))
            {
                return "plotting needs SkiaSharp's native libraries beside this program (libSkiaSharp.so and libHarfBuzzSharp.so, " +
                    "which scripts/publish-aot.sh writes next to the binary); every other command runs without them";
            }
            return missing.Message.Split('\n')[0].Trim();
        }
        return null;
    }

    /// <summary>
    /// The exceptions a user's options and files can cause: refused arguments, impossible requests, and files that cannot
    /// be read or written (an IOException, or UnauthorizedAccessException where the system refuses access, for example a
    /// read-only file system). The readers turn malformed content into IOExceptions (DataFileException) themselves.
    /// </summary>
    internal static bool IsUserError(Exception e) => e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException;
}

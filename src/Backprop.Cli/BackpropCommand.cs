using System.CommandLine;
using System.CommandLine.Help;

namespace Backprop.Cli;

/// <summary>
/// The <c>backprop</c> command line. User errors (bad options, bad input) print one line to standard error and exit
/// with code 2, never a stack trace.
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
            new VersionOption(),
            DemoCommand.Create(),
            ExplainCommand.Create(),
            GraphCommand.Create(),
            Plots.PlotCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            PredictCommand.Create(),
            ExportCommand.Create(),
            BenchCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, whatever the parser's message looks like.
            error.WriteLine($"backprop: {string.Join(' ', parsed.Errors[0].Message.Split(['\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))}");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            error.WriteLine($"backprop: {e.Message}");
            return UsageError;
        }
    }
}

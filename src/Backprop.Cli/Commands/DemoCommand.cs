using System.CommandLine;
using Backprop.Explain;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop demo</c>: replays the article's worked example through the engine, one row per gradient-descent step.
/// </summary>
internal static class DemoCommand
{
    private const double ConvergedBelow = 1e-6;

    public static Command Create()
    {
        var weight = CheckedOption.Double("--weight", "The starting weight w₀", 0.8);
        var input = CheckedOption.Double("--input", "The input i", 1.5,
            v => v == 0 ? "must not be 0 (with i = 0 the output a = i·w does not depend on w)" : null);
        var target = CheckedOption.Double("--target", "The desired output y", 0.5);
        var lr = CheckedOption.Double("--lr", "The learning rate r", 0.1, v => v <= 0 ? "must be greater than 0" : null);
        var steps = CheckedOption.Int("--steps", "The most steps to take", 50, v => v < 1 ? "must be at least 1" : null);

        var command = new Command("demo", "Replay the article's worked example: a = i·w, C = (a − y)², w ← w − r·dC/dw")
        {
            weight, input, target, lr, steps,
        };
        command.SetAction(parsed =>
        {
            var example = new ArticleExample(parsed.GetValue(weight), parsed.GetValue(input), parsed.GetValue(target), parsed.GetValue(lr));
            DemoReport.Write(parsed.InvocationConfiguration.Output, example, parsed.GetValue(steps), ConvergedBelow);
            return 0;
        });
        return command;
    }
}

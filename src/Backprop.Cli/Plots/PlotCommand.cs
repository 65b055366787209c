using System.CommandLine;
using Backprop.Explain;

namespace Backprop.Cli.Plots;

/// <summary>
/// <c>backprop plot KIND --out FILE.png</c>: the article's cost curve with gradient-descent steps, the activation functions
/// with their derivatives, a training log, or a model's first-layer weights, drawn with ScottPlot.
/// </summary>
internal static class PlotCommand
{
    private static readonly string[] Kinds = ["cost", "activations", "training", "weights"];

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = $"What to plot: {string.Join(", ", Kinds)}" };
        var output = new Option<string>("--out") { Description = "The image to write: FILE.png (or FILE.svg, except for activations)", Required = true };
        var width = CheckedOption.Int("--width", "Image width in pixels", 800, Pixels);
        var height = CheckedOption.Int("--height", "Image height in pixels", 600, Pixels);
        var input = CheckedOption.Double("--input", "cost: the input i", 1.5, v => v == 0 ? "must not be 0" : null);
        var target = CheckedOption.Double("--target", "cost: the desired output y", 0.5);
        var weight = CheckedOption.Double("--weight", "cost: the starting weight w₀", 0.8);
        var lr = CheckedOption.Double("--lr", "cost: the learning rate r", 0.1, v => v <= 0 ? "must be greater than 0" : null);
        var steps = CheckedOption.Int("--steps", "cost: how many gradient-descent steps to draw", 8, v => v < 1 ? "must be at least 1" : null);
        var log = new Option<string?>("--log") { Description = "training: the metrics CSV written by `train --log`" };
        var model = new ModelSource(required: false);

        var command = new Command("plot", "Draw the article's cost curve, the activation functions, a training log or a model's weights as PNG")
        {
            kind, output, width, height, input, target, weight, lr, steps, log,
        };
        model.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(output)!;
            OutputPath.Check(output.Name, path);
            int w = parsed.GetValue(width), h = parsed.GetValue(height);
            switch (parsed.GetValue(kind))
            {
                case "cost":
                    var example = new ArticleExample(parsed.GetValue(weight), parsed.GetValue(input), parsed.GetValue(target), parsed.GetValue(lr));
                    Chart.Save(CostPlot.Create(example, parsed.GetValue(steps)), path, w, h);
                    break;
                case "activations":
                    Chart.Save(ActivationsPlot.Create(), path, w, h);
                    break;
                case "training":
                    Chart.Save(TrainingPlot.Create(parsed.GetValue(log) ?? throw new ArgumentException("plot training: give --log FILE (from `train --log`)")), path, w, h);
                    break;
                case "weights":
                    if (parsed.GetValue(model.Model) is null) throw new ArgumentException("plot weights: give --model FILE");
                    Chart.Save(WeightsPlot.Create(model.Load(parsed).Model, parsed.GetValue(model.Model)!), path, w, h);
                    break;
                default:
                    throw new ArgumentException($"plot: there is no plot kind '{parsed.GetValue(kind)}'; choose {string.Join(", ", Kinds)}");
            }
            parsed.InvocationConfiguration.Output.WriteLine($"Wrote {path} ({w}×{h}).");
            return 0;
        });
        return command;
    }

    private static string? Pixels(int value) => value is < 100 or > 8000 ? "must be between 100 and 8000 pixels" : null;
}

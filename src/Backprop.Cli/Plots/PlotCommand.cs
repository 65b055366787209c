using System.CommandLine;
using System.Globalization;
using Backprop.Explain;
using Backprop.IO;

namespace Backprop.Cli.Plots;

/// <summary>
/// <c>backprop plot KIND --out FILE.png</c>: the article's cost curve with gradient-descent steps, the activation functions
/// with their derivatives, a training log, a model's first-layer weights, its first conv layer's filters, or its conv
/// layers' feature maps for one input, or a text model's attention weights for a prompt, drawn with ScottPlot.
/// </summary>
internal static class PlotCommand
{
    private static readonly string[] Kinds = ["cost", "activations", "training", "weights", "filters", "feature-maps", "attention"];

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = $"What to plot: {string.Join(", ", Kinds)}" };
        var output = new Option<string>("--out") { Description = "The image to write: FILE.png (or FILE.svg, except for activations and feature-maps)", Required = true };
        var width = CheckedOption.Int("--width", "Image width in pixels", 800, Pixels);
        var height = CheckedOption.Int("--height", "Image height in pixels", 600, Pixels);
        var input = new Option<string?>("--input") { Description = "cost: the input i (default 1.5); feature-maps: IDX images or CSV rows (every column a feature)" };
        var index = CheckedOption.Int("--index", "feature-maps: which example of --input (0 is the first)", 0, v => v < 0 ? "must be at least 0" : null);
        var target = CheckedOption.Double("--target", "cost: the desired output y", 0.5);
        var weight = CheckedOption.Double("--weight", "cost: the starting weight w₀", 0.8);
        var lr = CheckedOption.Double("--lr", "cost: the learning rate r", 0.1, v => v <= 0 ? "must be greater than 0" : null);
        var steps = CheckedOption.Int("--steps", "cost: how many gradient-descent steps to draw", 8, v => v < 1 ? "must be at least 1" : null);
        var log = new Option<string?>("--log") { Description = "training: the metrics CSV written by `train --log`" };
        var prompt = new Option<string?>("--prompt") { Description = "attention: the text whose attention weights to draw" };
        var model = new ModelSource(required: false);

        var command = new Command("plot", "Draw the article's cost curve, the activation functions, a training log, or a model's weights, filters or feature maps as PNG")
        {
            kind, output, width, height, input, index, target, weight, lr, steps, log, prompt,
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
                    var example = new ArticleExample(parsed.GetValue(weight), CostInput(parsed.GetValue(input)), parsed.GetValue(target), parsed.GetValue(lr));
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
                case "filters":
                    if (parsed.GetValue(model.Model) is null) throw new ArgumentException("plot filters: give --model FILE");
                    var (network, description) = model.Load(parsed);
                    Chart.Save(FiltersPlot.Create(network, description, parsed.GetValue(model.Model)!, w, h), path, w, h);
                    break;
                case "feature-maps":
                    Chart.Save(FeatureMaps(parsed, model, parsed.GetValue(input), parsed.GetValue(index), w, h), path, w, h);
                    break;
                case "attention":
                    if (parsed.GetValue(model.Model) is not { } modelPath || parsed.GetValue(prompt) is not { Length: > 0 } text) throw new ArgumentException("plot attention: give --model FILE and --prompt TEXT");
                    var (textModel, textDescription) = model.LoadText(parsed, () => throw new ArgumentException($"plot attention: {modelPath} records no vocabulary; plot a model file written by train"));
                    var tokens = textDescription.Tokenizer!.Encode(text);
                    string[] labels = [.. tokens.Select(t => textDescription.Tokenizer.Decode([t]))];
                    Chart.Save(AttentionPlot.Create(textModel, tokens, labels, $"Attention of {Path.GetFileName(modelPath)} for \"{text}\"", w, h), path, w, h);
                    break;
                default:
                    throw new ArgumentException($"plot: there is no plot kind '{parsed.GetValue(kind)}'; choose {string.Join(", ", Kinds)}");
            }
            parsed.InvocationConfiguration.Output.WriteLine($"Wrote {path} ({w}×{h}).");
            return 0;
        });
        return command;
    }

    /// <summary>The one example --index picks from --input, through the model --model names.</summary>
    private static ScottPlot.Multiplot FeatureMaps(ParseResult parsed, ModelSource source, string? inputPath, int index, int width, int height)
    {
        if (parsed.GetValue(source.Model) is not { } modelPath || inputPath is null)
        {
            throw new ArgumentException("plot feature-maps: give --model FILE and --input FILE (IDX images or CSV rows)");
        }
        var features = DataSource.LoadFeatures(inputPath, excludeColumn: null, header: null);
        int count = features.Shape[0];
        if (count == 0) throw new DataFileException(inputPath, "has no examples");
        var (model, description) = source.Load(parsed, () => features.Shape.ToArray()[1..]);
        ConvLayers.First(model, description, modelPath);
        features = description.FitFeatures(features, inputPath);
        if (index >= count)
        {
            throw new ArgumentException($"--index: '{inputPath}' has {count} example{(count == 1 ? "" : "s")}, so --index goes from 0 to {count - 1}, got {index}");
        }
        var example = features.Slice(0, index, index + 1).Reshape(description.InputShape.ToArray());
        return FeatureMapsPlot.Create(model, description, example, $"example {index} of {Path.GetFileName(inputPath)}", modelPath, width, height);
    }

    /// <summary>cost's --input: the article's input i, a number other than 0.</summary>
    private static double CostInput(string? text)
    {
        if (text is null) return 1.5;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"--input must be a finite number for plot cost, got '{text}'");
        }
        return value != 0 ? value : throw new ArgumentException($"--input must not be 0, got {text}");
    }

    private static string? Pixels(int value) => value is < 100 or > 8000 ? "must be between 100 and 8000 pixels" : null;
}

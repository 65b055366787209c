using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Autograd;
using Backprop.IO;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary><c>backprop predict</c>: one predicted class and its probability (or a value, for regression) per input.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var source = new ModelSource();
        var input = new Option<string>("--input") { Description = "IDX images (raw or gzipped) or CSV rows", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV only: a column to leave out (the target, if the file has one)" };
        var header = new HeaderOption();
        var format = CheckedOption.Choice("--format", "Output format", "csv", ["csv", "json"]);
        var command = new Command("predict", "Predict with a saved model") { input, target, header.Option, format };
        source.AddTo(command);

        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            string inputPath = parsed.GetValue(input)!;
            var features = DataSource.LoadFeatures(inputPath, parsed.GetValue(target), header.Get(parsed));
            if (features.Shape[0] == 0) throw new DataFileException(inputPath, "has no examples");
            var (model, description) = source.Load(parsed, () => features.Shape.ToArray()[1..]);
            features = description.FitFeatures(features, inputPath); // an MLP takes each image [1, H, W] as one row
            model.Eval();
            Tensor outputs;
            using (new NoGrad()) outputs = model.Forward(features);

            var rows = new List<Dictionary<string, object>>();
            if (description.CreateTask() is ClassificationTask classification)
            {
                var (classes, probabilities) = classification.Classify(outputs);
                for (int i = 0; i < classes.Length; i++) rows.Add(new() { ["index"] = i, ["class"] = classes[i], ["probability"] = Math.Round(probabilities[i], 6) });
            }
            else
            {
                for (int i = 0; i < outputs.Shape[0]; i++) rows.Add(new() { ["index"] = i, ["value"] = outputs[i, 0] });
            }
            Write(output, rows, parsed.GetValue(format)!);
            return 0;
        });
        return command;
    }

    private static void Write(TextWriter output, List<Dictionary<string, object>> rows, string format)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(rows, PredictJson.Default.ListDictionaryStringObject));
            return;
        }
        if (rows.Count == 0) return;
        output.WriteLine(string.Join(',', rows[0].Keys));
        foreach (var row in rows) output.WriteLine(string.Join(',', row.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
    }
}

using System.CommandLine;
using Backprop.Data;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli;

/// <summary><c>backprop eval</c>: loss, accuracy and the confusion matrix of a saved model on test data.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var source = new ModelSource();
        var data = new Option<string>("--data") { Description = "A directory of IDX files (its t10k-* set is used), a CSV file, or a text file (.txt: its validation split)", Required = true };
        var target = new Option<string?>("--target") { Description = "CSV only: the target column, by name or 0-based index (default: the last)" };
        var header = new HeaderOption();
        var command = new Command("eval", "Evaluate a saved model: loss, accuracy and confusion matrix") { data, target, header.Option };
        source.AddTo(command);

        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            string dataPath = parsed.GetValue(data)!;
            if (TrainCommand.IsText(dataPath)) return EvaluateText(parsed, source, dataPath);
            // The data is read once, after the model unless a bare state dict described by --arch needs the examples' shape
            // for its input shape; its targets take the type the model's task reads.
            DataSource? read = null;
            DataSource Data() => read ??= DataSource.Read(dataPath, parsed.GetValue(target), header.Get(parsed), testOnly: true);
            var (model, description) = source.Load(parsed, () => Data().ExampleShape);
            var test = description.Fit(Data().TestSet(description.CreateTask()));
            var result = Evaluator.Evaluate(model, description.Loss, test, description.CreateTask());

            output.WriteLine($"{test.Count} examples: loss {result.Loss:F4}" + (result.Accuracy is { } accuracy ? $", accuracy {accuracy:P2}" : "")
                + (result.MeanAbsoluteError is { } error ? $", mean absolute error {error:F4}" : ""));
            if (result.Confusion is { } confusion) WriteConfusion(output, confusion);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A text model on the whole validation split of a corpus (the last 10 %), in consecutive windows of its block size: the
    /// mean loss over every prediction, and in bits per character (the loss in nats over ln 2) for a character model.
    /// </summary>
    private static int EvaluateText(ParseResult parsed, ModelSource source, string dataPath)
    {
        TextCorpus? corpus = null;
        var (model, description) = source.LoadText(parsed, () => (corpus = TextCorpus.Read(dataPath)).Tokenizer);
        // Read with the model's vocabulary: a character the model has no token for is an error naming it.
        corpus ??= TextCorpus.Read(dataPath, description.Tokenizer);
        int window = description.BlockSize!.Value;
        corpus.RequireWindows(window);
        var result = Evaluator.Evaluate(model, description.Loss, corpus.Validation, window);
        string unit = description.Tokenizer is CharTokenizer ? "character" : "token";
        parsed.InvocationConfiguration.Output.WriteLine($"val loss {result.Loss:F4} ({result.Loss / Math.Log(2):F4} bits per {unit}) over {result.Count:N0} predictions of {corpus.Name}");
        return 0;
    }

    private static void WriteConfusion(TextWriter output, int[,] confusion)
    {
        int classes = confusion.GetLength(0);
        output.WriteLine("confusion matrix (rows: true class, columns: predicted class)");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("true \\ predicted");
        for (int c = 0; c < classes; c++) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        for (int r = 0; r < classes; r++)
        {
            table.AddRow([r.ToString(), .. Enumerable.Range(0, classes).Select(c => confusion[r, c].ToString())]);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        console.Write(table);
    }
}

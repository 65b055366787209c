using System.Globalization;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>Loss (left axis) and accuracy (right axis) per epoch, train and test, from the CSV that <c>train --log</c> writes.</summary>
internal static class TrainingPlot
{
    private static readonly string[] Columns = ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"];

    public static Plot Create(string logPath)
    {
        var table = Read(logPath);
        var plot = Chart.Create($"Training: {Path.GetFileName(logPath)}", "epoch", "loss");
        var epochs = table["epoch"];
        Add(plot, epochs, table["train_loss"], "train loss", accuracy: false);
        Add(plot, epochs, table["test_loss"], "test loss", accuracy: false);
        bool hasAccuracy = table["train_accuracy"].Concat(table["test_accuracy"]).Any(double.IsFinite);
        if (hasAccuracy)
        {
            Add(plot, epochs, table["train_accuracy"], "train accuracy", accuracy: true);
            Add(plot, epochs, table["test_accuracy"], "test accuracy", accuracy: true);
            plot.Axes.Right.Label.Text = "accuracy";
        }
        // Whole epochs only on the x axis, as long as that leaves readable ticks.
        if (epochs.Length <= 25) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }

    private static void Add(Plot plot, double[] epochs, double[] values, string label, bool accuracy)
    {
        var rows = epochs.Zip(values).Where(p => double.IsFinite(p.Second)).ToArray();
        if (rows.Length == 0) return;
        var line = plot.Add.Scatter(rows.Select(r => r.First).ToArray(), rows.Select(r => r.Second).ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 6;
        if (label.StartsWith("test")) line.LinePattern = LinePattern.Dashed;
        if (accuracy) line.Axes.YAxis = plot.Axes.Right;
    }

    /// <summary>The log's columns by name; an empty cell (no test set, or a regression's accuracy) reads as NaN.</summary>
    private static Dictionary<string, double[]> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--log: cannot read '{path}': {e.Message}");
        }
        var header = lines.Length > 0 ? lines[0].Split(',') : [];
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"--log: '{path}' is not a metrics log from `train --log` (no column {string.Join(", ", missing)})");
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToList();
        if (rows.Count == 0) throw new ArgumentException($"--log: '{path}' has no epochs");

        var table = Columns.ToDictionary(c => c, _ => new double[rows.Count]);
        for (int r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Split(',');
            foreach (var column in Columns)
            {
                int index = Array.IndexOf(header, column);
                string cell = index < cells.Length ? cells[index] : "";
                if (cell.Length == 0) table[column][r] = double.NaN;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out table[column][r]))
                {
                    throw new ArgumentException($"--log: '{path}' line {r + 2}, column '{column}': '{cell}' is not a number");
                }
            }
        }
        return table;
    }
}

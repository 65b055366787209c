using Backprop.Explain;

namespace Backprop.Cli;

/// <summary>Writes the demo's table of steps and its verdict: converged, diverged, or stopped.</summary>
internal static class DemoReport
{
    private static readonly string[] Headers = ["step", "w", "a", "C", "dC/da", "da/dw", "dC/dw", "next w"];

    public static void Write(TextWriter output, ArticleExample example, int maxSteps, double convergedBelow)
    {
        var rows = new List<ArticleStep>();
        foreach (var row in example.Steps().Take(maxSteps))
        {
            rows.Add(row);
            if (Converged(row, convergedBelow) || !double.IsFinite(row.NextWeight)) break;
        }

        output.WriteLine("Backpropagation on the article's example: a = i·w, C = (a − y)², w ← w − r·dC/dw");
        output.WriteLine($"i = {Number.Format(example.Input)}, y = {Number.Format(example.Target)}, w₀ = {Number.Format(example.InitialWeight)}, r = {Number.Format(example.LearningRate)}");
        output.WriteLine("Each dC/dw is read off the graph's gradients and equals dC/da · da/dw (the chain rule).");
        output.WriteLine();
        WriteTable(output, rows);
        output.WriteLine();
        WriteVerdict(output, example, rows, convergedBelow);
    }

    private static void WriteTable(TextWriter output, List<ArticleStep> rows)
    {
        var cells = rows.Select(r => new[]
        {
            r.Step.ToString(), Number.Format(r.Weight), Number.Format(r.Output), Number.Format(r.Cost), Number.Format(r.CostByOutput),
            Number.Format(r.OutputByWeight), Number.Format(r.CostByWeight), Number.Format(r.NextWeight),
        }).ToList();
        var widths = Headers.Select((h, c) => cells.Select(row => row[c].Length).Append(h.Length).Max() + 2).ToArray();
        output.WriteLine(string.Concat(Headers.Select((h, c) => h.PadLeft(widths[c]))));
        foreach (var row in cells) output.WriteLine(string.Concat(row.Select((cell, c) => cell.PadLeft(widths[c]))));
    }

    private static void WriteVerdict(TextWriter output, ArticleExample example, List<ArticleStep> rows, double convergedBelow)
    {
        var last = rows[^1];
        string minimum = $"w = y/i = {Number.Format(example.MinimumWeight)}{Number.FractionSuffix(example.MinimumWeight)}, where a = y = {Number.Format(example.Target)} and C = 0";
        if (Converged(last, convergedBelow))
        {
            output.WriteLine($"Converged after {rows.Count} steps (|Δw| < {Number.Format(convergedBelow)}): w = {Number.Format(last.NextWeight)}.");
            output.WriteLine($"The minimum of C is at {minimum}.");
        }
        else if (!double.IsFinite(last.NextWeight) || last.Cost > rows[0].Cost)
        {
            output.WriteLine($"Diverged: C grew from {Number.Format(rows[0].Cost)} to {Number.Format(last.Cost)} in {rows.Count} steps.");
            output.WriteLine($"Each step overshoots the minimum at {minimum}: the learning rate r = {Number.Format(example.LearningRate)} is too large.");
        }
        else
        {
            output.WriteLine($"Stopped after {rows.Count} steps (--steps) before converging: w = {Number.Format(last.NextWeight)}, |Δw| = {Number.Format(Math.Abs(last.NextWeight - last.Weight))}.");
            output.WriteLine($"The minimum of C is at {minimum}.");
        }
    }

    private static bool Converged(ArticleStep row, double below) => Math.Abs(row.NextWeight - row.Weight) < below;
}

using Backprop.Explain;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// The article's cost curve C(w) = (i·w − y)² with the gradient-descent steps on it: each step's (w, C) taken from the
/// engine's run of the example, joined by arrows, and the minimum at w = y/i marked.
/// </summary>
internal static class CostPlot
{
    public static Plot Create(ArticleExample example, int steps)
    {
        var path = example.Steps().Take(steps).ToList();
        double minimum = example.MinimumWeight;
        var ws = path.Select(s => s.Weight).Append(path[^1].NextWeight).Append(minimum).ToList();
        double low = ws.Min(), high = ws.Max(), margin = Math.Max(0.25 * (high - low), 0.1);
        double Cost(double w) => Math.Pow(example.Input * w - example.Target, 2);

        var plot = Chart.Create($"Gradient descent on C(w) = ({Number.Format(example.Input)}·w − {Number.Format(example.Target)})², r = {Number.Format(example.LearningRate)}", "weight w", "cost C");
        var curveW = Enumerable.Range(0, 201).Select(k => low - margin + (high - low + 2 * margin) * k / 200).ToArray();
        var curve = plot.Add.ScatterLine(curveW, curveW.Select(Cost).ToArray());
        curve.LegendText = "C(w)";
        curve.LineWidth = 2;

        var stepW = path.Select(s => s.Weight).ToArray();
        var points = plot.Add.ScatterPoints(stepW, path.Select(s => s.Cost).ToArray());
        points.LegendText = $"w after each step (w₀ = {Number.Format(example.InitialWeight)})";
        points.MarkerSize = 8;
        for (int k = 0; k + 1 < path.Count; k++)
        {
            var arrow = plot.Add.Arrow(new Coordinates(path[k].Weight, path[k].Cost), new Coordinates(path[k + 1].Weight, path[k + 1].Cost));
            arrow.ArrowFillColor = points.Color;
            arrow.ArrowLineColor = points.Color;
            arrow.ArrowWidth = 2;
            arrow.ArrowheadWidth = 10;
            arrow.ArrowheadLength = 12;
        }

        var marker = plot.Add.Marker(minimum, 0, MarkerShape.FilledDiamond, 12);
        marker.LegendText = $"minimum: w = y/i = {Number.Format(minimum)}";
        marker.Color = Colors.Red;
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }
}

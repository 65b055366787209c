using Backprop.Explain;
using Backprop.NN;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// A model's attention weights for one token sequence (<see cref="AttentionMaps"/>): a heatmap per head, a row of heads
/// per layer, each query token's row of weights over the key tokens, white 0 to dark 1 on one scale for all heads. The
/// axes are labelled with the tokens (a line break shows as ⏎, a space as ␣), every n-th one where a panel is too small
/// for all of them.
/// </summary>
internal static class AttentionPlot
{
    private const double TitleHeight = 44, PanelTitle = 30, ColorBarWidth = 100, Gap = 12;

    /// <summary>The colours of weights 0 (white) to 1 (dark blue).</summary>
    public static IColormap Colormap { get; } = new ScottPlot.Colormaps.Blues().Reversed();

    /// <summary>
    /// The maps of <paramref name="model"/> for <paramref name="tokens"/> (given as [1, T]), labelled with
    /// <paramref name="labels"/> (each token's text), under <paramref name="title"/>.
    /// </summary>
    public static Multiplot Create(Module model, int[] tokens, IReadOnlyList<string> labels, string title, int width, int height)
    {
        if (labels.Count != tokens.Length) throw new ArgumentException($"attention plot: {labels.Count} labels for {tokens.Length} tokens");
        var maps = AttentionMaps.Of(model, tokens);
        int layers = maps.Max(m => m.Layer) + 1, heads = maps.Max(m => m.Head) + 1, t = tokens.Length;
        var ticks = labels.Select(Label).ToArray();

        // Square panels as large as the image allows, each with room for its title and token labels around it.
        double font = 12, margin = 0, side = 0;
        for (int pass = 0; pass < 2; pass++) // the labels' size depends on the panels' size and the reverse; twice settles it
        {
            margin = 2.2 * font + 22; // left of a panel for the query tokens and "query", below it for the keys and "key"
            side = Math.Max(10, Math.Min((width - ColorBarWidth - heads * (margin + Gap)) / heads, (height - TitleHeight - layers * (margin + PanelTitle)) / layers));
            font = Math.Clamp(0.6 * side / t, 8, 13);
        }
        int every = (int)Math.Ceiling(1.4 * font / (side / t)); // tokens too narrow for their labels get every n-th one
        double pitchX = margin + side + Gap, pitchY = PanelTitle + side + margin;
        var origin = (X: (width - heads * pitchX + Gap - ColorBarWidth) / 2, Y: TitleHeight + (height - TitleHeight - layers * pitchY) / 2);

        var multiplot = new Multiplot();
        multiplot.AddPlots(1 + maps.Count);
        var heading = Chart.Style(multiplot.GetPlot(0), title, "", "");
        heading.Axes.Frameless(); // a title alone: no axes, ticks or grid
        heading.HideGrid();
        heading.Axes.Title.IsVisible = true;
        Chart.FitTitle(heading, title, width - 20);
        var rectangles = new List<PixelRect> { new(0, width, 0, (float)TitleHeight) };

        foreach (var (map, index) in maps.Select((map, index) => (map, index)))
        {
            var plot = Chart.Style(multiplot.GetPlot(1 + index), $"layer {map.Layer}, head {map.Head}", map.Layer == layers - 1 ? "key" : "", map.Head == 0 ? "query" : "");
            var heatmap = plot.Add.Heatmap(map.Weights);
            heatmap.Colormap = Colormap;
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.Rectangle = new CoordinateRect(0, t, 0, t); // a unit per weight; row 0 (query 0) at the top
            bool last = map.Head == heads - 1;
            if (last) plot.Add.ColorBar(heatmap).Label = "weight";
            plot.Axes.Bottom.TickGenerator = Ticks(ticks, every, j => j + 0.5);
            plot.Axes.Left.TickGenerator = Ticks(ticks, every, i => t - i - 0.5);
            plot.Axes.Bottom.TickLabelStyle.FontSize = plot.Axes.Left.TickLabelStyle.FontSize = (float)font;
            plot.Axes.Title.Label.FontSize = 13;
            plot.HideGrid();
            plot.Axes.SetLimits(0, t, 0, t);
            double right = last ? ColorBarWidth : 0;
            plot.Layout.Fixed(new PixelPadding((float)margin, (float)right, (float)margin, (float)PanelTitle));
            double x = origin.X + map.Head * pitchX, y = origin.Y + map.Layer * pitchY;
            rectangles.Add(new((float)x, (float)(x + margin + side + right), (float)y, (float)(y + pitchY - 0.5)));
        }
        multiplot.Layout = new FixedRectangles(rectangles);
        return multiplot;
    }

    /// <summary>A token as an axis label: a line break as ⏎, a space as ␣, a tab as ⇥, so that none is invisible.</summary>
    public static string Label(string token) => token.Replace("\r\n", "⏎").Replace('\n', '⏎').Replace('\r', '⏎').Replace(' ', '␣').Replace('\t', '⇥');

    /// <summary>Every <paramref name="every"/>-th token's label at the middle of its row or column.</summary>
    private static ScottPlot.TickGenerators.NumericManual Ticks(string[] labels, int every, Func<int, double> position)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int k = 0; k < labels.Length; k += every) ticks.AddMajor(position(k), labels[k]);
        return ticks;
    }

    /// <summary>Each plot in the pixel rectangle given for it: the heading first, then the panels.</summary>
    private sealed class FixedRectangles(IReadOnlyList<PixelRect> rectangles) : IMultiplotLayout
    {
        public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figureRect) =>
            [.. rectangles.Select(r => new PixelRect(figureRect.Left + r.Left, figureRect.Left + r.Right, figureRect.Top + r.Top, figureRect.Top + r.Bottom))];
    }
}

using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>What every chart shares: the font (without one ScottPlot draws no text, silently) and saving as PNG or SVG.</summary>
internal static class Chart
{
    private const string Font = "DejaVu Sans";

    public static Plot Create(string title, string xLabel, string yLabel) => Style(new Plot(), title, xLabel, yLabel);

    /// <summary>Sets the font (everywhere) and the labels of a plot, such as one panel of a multiplot.</summary>
    public static Plot Style(Plot plot, string title, string xLabel, string yLabel)
    {
        Fonts.Default = Font;
        plot.Font.Set(Font);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Keeps a long title (a layer's architecture text can be) within <paramref name="width"/> pixels: broken in two at
    /// the comma or arrow nearest its middle, then in a smaller font (down to 9 points) if a line is still too wide.
    /// DejaVu Sans averages about 0.55 em a character.
    /// </summary>
    public static void FitTitle(Plot plot, string title, double width)
    {
        var label = plot.Axes.Title.Label;
        double Width(string text) => 0.55 * label.FontSize * text.Length;
        if (Width(title) <= width) return;
        int middle = title.Length / 2, split = -1;
        foreach (string separator in new[] { ", ", " → " })
        {
            for (int at = title.IndexOf(separator, StringComparison.Ordinal); at >= 0; at = title.IndexOf(separator, at + 1, StringComparison.Ordinal))
            {
                int end = separator == ", " ? at + 2 : at + 1;
                if (split < 0 || Math.Abs(end - middle) < Math.Abs(split - middle)) split = end;
            }
        }
        string[] lines = split > 0 ? [title[..split].TrimEnd(), title[split..]] : [title];
        plot.Title(string.Join('\n', lines));
        int longest = lines.Max(line => line.Length);
        label.FontSize = (float)Math.Clamp(width / (0.55 * longest), 9, label.FontSize);
    }

    /// <summary>Saves as PNG, or SVG when the path ends in .svg, through a temporary file so a failure leaves no half-written image.</summary>
    public static void Save(Plot plot, string path, int width, int height) =>
        Write(path, IsSvg(path) ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height)) : plot.GetImageBytes(width, height, ImageFormat.Png));

    /// <summary>Saves a grid of plots as PNG (a multiplot has no SVG export).</summary>
    public static void Save(Multiplot plots, string path, int width, int height)
    {
        if (IsSvg(path)) throw new ArgumentException($"--out: '{path}': this plot is written as PNG only");
        Write(path, plots.Render(width, height).GetImageBytes(ImageFormat.Png));
    }

    private static void Write(string path, byte[] bytes) => Backprop.IO.AtomicFile.Write(path, stream => stream.Write(bytes));

    public static bool IsSvg(string path) => path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase);
}

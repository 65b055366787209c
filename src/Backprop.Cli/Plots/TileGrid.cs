using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// Equal tiles (small images: filters, feature maps) laid out left to right, top to bottom in one image with gaps of NaN
/// (drawn transparent) between them, and drawn as one heatmap on one colour scale, each tile numbered above it when there
/// are several and the numbers fit. The number of columns is the one that draws the tiles largest in the area they are given.
/// </summary>
internal sealed class TileGrid
{
    private const double LabelPixels = 15, LabelFontSize = 11;
    private readonly int count, gap, labelGap, framesPerTile;

    /// <summary>
    /// <paramref name="count"/> tiles of <paramref name="tileHeight"/>×<paramref name="tileWidth"/> values, <paramref name="gap"/>
    /// values apart, to be drawn in an area of about <paramref name="areaWidth"/>×<paramref name="areaHeight"/> pixels.
    /// </summary>
    /// <param name="framesPerTile">How many frames each tile is drawn with: a filter over several input channels is one tile of its channels side by side, framed each.</param>
    public TileGrid(int count, int tileHeight, int tileWidth, double areaWidth, double areaHeight, int gap = 1, int framesPerTile = 1)
    {
        (this.count, TileHeight, TileWidth, this.gap, this.framesPerTile) = (count, tileHeight, tileWidth, gap, framesPerTile);
        double best = 0;
        for (int columns = 1; columns <= count; columns++)
        {
            int rows = (count + columns - 1) / columns;
            // Room for the numbers: the gap above each row grows to LabelPixels, if the tiles stay wide enough for them.
            double Pixel(int above) => Math.Min(areaWidth / (columns * (tileWidth + gap) - gap), areaHeight / (rows * (tileHeight + above)));
            int above = Math.Max(gap, (int)Math.Ceiling(LabelPixels / Pixel(gap)));
            bool labelled = count > 1 && Pixel(above) * tileWidth >= 2 * LabelPixels;
            double pixel = Pixel(labelled ? above : gap);
            if (pixel > best * 1.0001) (best, Columns, Rows, labelGap) = (pixel, columns, rows, labelled ? above : 0);
        }
        int rowPitch = tileHeight + Math.Max(gap, labelGap);
        Values = new double[labelGap + Rows * rowPitch - Math.Max(gap, labelGap), Columns * (tileWidth + gap) - gap];
        for (int y = 0; y < Values.GetLength(0); y++) for (int x = 0; x < Values.GetLength(1); x++) Values[y, x] = double.NaN;
    }

    public int TileHeight { get; }

    public int TileWidth { get; }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>The image, row 0 at the top.</summary>
    public double[,] Values { get; }

    private int Top(int tile) => labelGap + tile / Columns * (TileHeight + Math.Max(gap, labelGap));

    private int Left(int tile) => tile % Columns * (TileWidth + gap);

    /// <summary>Sets the value at row <paramref name="y"/>, column <paramref name="x"/> of tile <paramref name="tile"/>.</summary>
    public void Set(int tile, int y, int x, double value) => Values[Top(tile) + y, Left(tile) + x] = value;

    /// <summary>Copies row-major values of <see cref="TileHeight"/>×<see cref="TileWidth"/> into tile <paramref name="tile"/>.</summary>
    public void Set(int tile, ReadOnlySpan<double> values)
    {
        for (int k = 0; k < values.Length; k++) Set(tile, k / TileWidth, k % TileWidth, values[k]);
    }

    /// <summary>
    /// Draws the image on <paramref name="plot"/> with square pixels and no axes, <paramref name="range"/> spanning the
    /// colormap, a colour bar, and each tile's number above it when there is room.
    /// </summary>
    public void Draw(Plot plot, IColormap colormap, ScottPlot.Range range, string colorBarLabel)
    {
        int height = Values.GetLength(0), width = Values.GetLength(1);
        var heatmap = plot.Add.Heatmap(Values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        heatmap.Rectangle = new CoordinateRect(0, width, 0, height); // one unit per value, y upwards from the bottom row
        plot.Add.ColorBar(heatmap).Label = colorBarLabel;
        // A thin frame around each tile, so that one whose edge is the background's colour keeps its shape.
        int frameWidth = (TileWidth + 1) / framesPerTile - 1;
        for (int tile = 0; tile < count; tile++)
        {
            for (int frame = 0; frame < framesPerTile; frame++)
            {
                double left = Left(tile) + frame * (frameWidth + 1), top = height - Top(tile);
                var outline = plot.Add.Rectangle(left, left + frameWidth, top - TileHeight, top);
                outline.FillStyle.Color = Colors.Transparent;
                outline.LineStyle.Color = Colors.Gray.WithAlpha(0.6);
                outline.LineStyle.Width = 1;
            }
        }
        if (labelGap > 0)
        {
            for (int tile = 0; tile < count; tile++)
            {
                var label = plot.Add.Text($"{tile}", Left(tile) + TileWidth / 2.0, height - Top(tile) + labelGap / 2.0);
                label.LabelFontSize = (float)LabelFontSize;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        plot.Axes.Frameless();
        plot.Axes.Title.IsVisible = true; // frameless hides it too
        plot.HideGrid();
        plot.Axes.SquareUnits(); // square pixels, whatever the image's size
    }

    /// <summary>The colour scale for values that may be negative: a diverging colormap centred on 0 (blue negative, red positive).</summary>
    public static (IColormap Colormap, ScottPlot.Range Range) Diverging(IEnumerable<double> values)
    {
        double scale = values.Select(Math.Abs).DefaultIfEmpty(0).Max();
        if (scale == 0) scale = 1;
        return (new ScottPlot.Colormaps.Balance(), new ScottPlot.Range(-scale, scale));
    }
}

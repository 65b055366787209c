using Backprop.NN;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// The first layer's weights of an image model as a grid of images: row j of the weight matrix, reshaped to the input
/// image (28×28 for MNIST), is what hidden unit j responds to. Blue is negative, red positive, on one shared scale.
/// </summary>
internal static class WeightsPlot
{
    public static Plot Create(Sequential model, string modelPath)
    {
        if (model.Layers.FirstOrDefault() is not Linear first) throw new ArgumentException($"--model: '{modelPath}' does not start with a linear layer");
        int side = (int)Math.Round(Math.Sqrt(first.InFeatures));
        if (side * side != first.InFeatures) throw new ArgumentException($"--model: '{modelPath}' takes {first.InFeatures} inputs, not a square image");

        int units = first.OutFeatures, columns = (int)Math.Ceiling(Math.Sqrt(units)), rows = (units + columns - 1) / columns;
        var weights = first.Weight.ToDoubleArray();
        double scale = weights.Max(Math.Abs);
        // One image of all the tiles with a one-pixel gap (NaN, drawn transparent) between them.
        var grid = new double[rows * (side + 1) - 1, columns * (side + 1) - 1];
        for (int y = 0; y < grid.GetLength(0); y++) for (int x = 0; x < grid.GetLength(1); x++) grid[y, x] = double.NaN;
        for (int unit = 0; unit < units; unit++)
        {
            int top = unit / columns * (side + 1), left = unit % columns * (side + 1);
            for (int pixel = 0; pixel < side * side; pixel++) grid[top + pixel / side, left + pixel % side] = weights[unit * side * side + pixel];
        }

        var plot = Chart.Create($"First-layer weights, {units} units of {side}×{side}", "", "");
        var heatmap = plot.Add.Heatmap(grid);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-scale, scale);
        plot.Add.ColorBar(heatmap).Label = "weight";
        plot.Axes.Frameless();
        plot.Axes.Title.IsVisible = true; // frameless hides it too
        plot.HideGrid();
        plot.Axes.SquareUnits(); // square pixels, whatever the image's size
        return plot;
    }
}

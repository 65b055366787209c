using Backprop.NN;
using Backprop.Training;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// The first Conv2d layer's kernels as images: one tile per output channel (filter), left to right and top to bottom in
/// channel order; a filter over several input channels shows one tile per input channel side by side, the filters
/// further apart than their channels. Blue is negative, red positive, on one scale shared by all the tiles.
/// </summary>
internal static class FiltersPlot
{
    public static Plot Create(Sequential model, ModelDescription description, string modelPath, int width, int height)
    {
        int index = ConvLayers.First(model, description, modelPath);
        var conv = (Conv2d)model.Layers[index];
        var shape = conv.Weight.Shape.ToArray(); // [out, in/groups, kH, kW]
        int filters = shape[0], channels = shape[1], kh = shape[2], kw = shape[3];
        var weights = conv.Weight.ToDoubleArray();

        // A filter is one cell of its channels' tiles, a value apart; filters are two apart when they have several channels.
        int cellWidth = channels * (kw + 1) - 1;
        var grid = new TileGrid(filters, kh, cellWidth, width - 120, height - 60, gap: channels > 1 ? 2 : 1, framesPerTile: channels);
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < kh; y++)
                {
                    for (int x = 0; x < kw; x++) grid.Set(f, y, c * (kw + 1) + x, weights[((f * channels + c) * kh + y) * kw + x]);
                }
            }
        }

        string kernel = channels > 1 ? $"{channels}×{kh}×{kw}, input channels side by side" : $"{kh}×{kw}";
        string title = $"Layer {index}, {description.Architecture.Layers[index]}: {filters} filters of {kernel}";
        var plot = Chart.Create(title, "", "");
        Chart.FitTitle(plot, title, width - 150);
        var (colormap, range) = TileGrid.Diverging(weights);
        grid.Draw(plot, colormap, range, "weight");
        return plot;
    }
}

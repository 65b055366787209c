using Backprop.Autograd;
using Backprop.NN;
using Backprop.Training;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// One example through the network in eval mode, and what each Conv2d layer makes of it: a row for the input, then a row
/// per Conv2d layer with its output channels as images, left to right and top to bottom in channel order, on one colour
/// scale per row. As PyTorch users usually look at them, a conv layer's maps are taken after the layers that act on each
/// value in place right behind it: a BatchNorm2d, then an activation (Conv2d → BatchNorm2d → ReLU is one row, titled
/// with all three). Maps that are never negative (after a ReLU) are drawn from dark (0) to bright; maps with negative
/// values blue for negative, red for positive, centred on 0.
/// </summary>
internal static class FeatureMapsPlot
{
    private const double TitleHeight = 50, ColorBarWidth = 120;

    /// <param name="example">One example in the model's input shape [C, H, W].</param>
    /// <param name="exampleName">What the input row's title calls it, such as "example 3 of digits.idx".</param>
    public static Multiplot Create(Sequential model, ModelDescription description, Tensor example, string exampleName, string modelPath, int width, int height)
    {
        var layers = model.Layers;
        ConvLayers.First(model, description, modelPath);
        if (example.Shape.Rank != 3) throw new ArgumentException($"--model: '{modelPath}' takes examples of shape [{string.Join(", ", example.Shape.ToArray())}], not images [C, H, W]");
        var rows = new List<(string Title, Tensor Values)> { ($"Input: {exampleName}, {Dims(example.Shape.ToArray())}", example) };

        model.Eval();
        using (new NoGrad())
        {
            var x = example.Reshape([1, .. example.Shape.ToArray()]);
            int lastConv = layers.ToList().FindLastIndex(layer => layer is Conv2d);
            for (int i = 0; i <= lastConv; i++)
            {
                x = layers[i].Forward(x);
                if (layers[i] is not Conv2d) continue;
                int first = i;
                if (i + 1 < layers.Count && layers[i + 1] is BatchNorm2d) x = layers[++i].Forward(x);
                if (i + 1 < layers.Count && layers[i + 1] is ActivationModule) x = layers[++i].Forward(x);
                string names = string.Join(" → ", Enumerable.Range(first, i - first + 1).Select(k => description.Architecture.Layers[k].ToString()));
                var maps = x.Reshape(x.Shape.ToArray()[1..]);
                rows.Add(($"{(i > first ? "Layers" : "Layer")} {first}{(i > first ? $"–{i}" : "")}: {names}, {Dims(maps.Shape.ToArray())}", maps));
            }
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(rows.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        for (int r = 0; r < rows.Count; r++)
        {
            var (title, values) = rows[r];
            var shape = values.Shape.ToArray(); // [C, H, W]
            var grid = new TileGrid(shape[0], shape[1], shape[2], width - ColorBarWidth, (double)height / rows.Count - TitleHeight);
            var data = values.ToDoubleArray();
            int size = shape[1] * shape[2];
            for (int c = 0; c < shape[0]; c++) grid.Set(c, data.AsSpan(c * size, size));

            var plot = Chart.Style(multiplot.GetPlot(r), title, "", "");
            Chart.FitTitle(plot, title, width - ColorBarWidth - 30);
            var (colormap, range) = r == 0 ? Grayscale(data) : Maps(data);
            grid.Draw(plot, colormap, range, r == 0 ? "input" : "output");
        }
        return multiplot;
    }

    private static string Dims(int[] shape) => shape[0] == 1
        ? $"{shape[1]}×{shape[2]}"
        : $"{shape[0]} channels of {shape[1]}×{shape[2]}";

    /// <summary>The input as an image: black at its smallest value, white at its largest.</summary>
    private static (IColormap, ScottPlot.Range) Grayscale(double[] values)
    {
        double low = values.Min(), high = values.Max();
        return (new ScottPlot.Colormaps.Grayscale(), new ScottPlot.Range(low, high > low ? high : low + 1));
    }

    /// <summary>Dark to bright from 0 for maps without negative values, otherwise blue–red centred on 0.</summary>
    private static (IColormap, ScottPlot.Range) Maps(double[] values)
    {
        if (values.Min() < 0) return TileGrid.Diverging(values);
        double high = values.Max();
        return (new ScottPlot.Colormaps.Viridis(), new ScottPlot.Range(0, high > 0 ? high : 1));
    }
}

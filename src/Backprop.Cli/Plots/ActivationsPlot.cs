using Backprop.NN;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// Every activation function with its derivative, one panel each (the article's picture of activation functions, with
/// the derivatives the chain rule multiplies by). Both curves come from the engine: the function's forward pass, and
/// the gradient of Σ f(z), which is f'(z) element by element.
/// </summary>
internal static class ActivationsPlot
{
    private const double From = -4, To = 4;

    public static Multiplot Create()
    {
        var activations = Activation.All.ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(activations.Count);
        int columns = (int)Math.Ceiling(Math.Sqrt(activations.Count));
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: (activations.Count + columns - 1) / columns, columns: columns);
        for (int k = 0; k < activations.Count; k++)
        {
            var plot = multiplot.GetPlot(k);
            Chart.Style(plot, activations[k].Name, "z", "");
            var (z, value, derivative) = Curves(activations[k]);
            var f = plot.Add.ScatterLine(z, value);
            f.LegendText = "f(z)";
            f.LineWidth = 2;
            var d = plot.Add.ScatterLine(z, derivative);
            d.LegendText = "f'(z)";
            d.LineWidth = 2;
            d.LinePattern = LinePattern.Dashed;
            plot.ShowLegend(Alignment.UpperLeft);
        }
        return multiplot;
    }

    private static (double[] Z, double[] Value, double[] Derivative) Curves(Activation activation)
    {
        var z = Tensor.FromArray(Enumerable.Range(0, 401).Select(k => From + (To - From) * k / 400).ToArray());
        z.RequiresGrad = true;
        var value = activation.Apply(z);
        value.Sum().Backward();
        return (z.ToDoubleArray(), value.ToDoubleArray(), z.Grad!.ToDoubleArray());
    }
}

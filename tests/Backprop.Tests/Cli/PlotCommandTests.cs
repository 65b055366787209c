using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;
using SkiaSharp;

namespace Backprop.Tests.Cli;

public class PlotCommandTests
{
    /// <summary>
    /// Decodes the PNG and checks its size, and that it is not blank (more than a handful of colours). Axes and text alone
    /// pass this; the tests below check what only the data draw.
    /// </summary>
    private static void AssertPng(string path, int width, int height)
    {
        using var image = SKBitmap.Decode(path);
        Assert.NotNull(image);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image.Pixels.Distinct().Count() > 20, "the image is nearly blank");
    }

    // ScottPlot's default palette (Category10) colours the series in order: blue, orange, green, red. A legend shows a
    // short sample of each, so only the plotted data spreads a series' colour across the data area.
    private static readonly SKColor First = new(0x1f, 0x77, 0xb4), Second = new(0xff, 0x7f, 0x0e), Third = new(0x2c, 0xa0, 0x2c);

    [Theory]
    [InlineData("cost", 640, 480)]
    [InlineData("activations", 900, 700)]
    public void ArticlePlotsAreWrittenAtTheRequestedSize(string kind, int width, int height)
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("plot", kind, "--out", dir.File("p.png"), "--width", $"{width}", "--height", $"{height}");
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"({width}×{height})", output);
        AssertPng(dir.File("p.png"), width, height);
    }

    [Fact]
    public void CostDrawsTheCurveAcrossThePlotAndTheStepsDownIt()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("plot", "cost", "--out", dir.File("c.png"), "--width", "640", "--height", "480").Code);
        using var image = SKBitmap.Decode(dir.File("c.png"));

        // The curve C(w) = (1.5·w − 0.5)² spans the data area, with its minimum (w = 1/3) inside: its lowest pixel is
        // lower than both its ends.
        var curve = PixelsOf(image, First);
        Assert.True(Span(curve) > 0.6 * image.Width, $"the curve spans {Span(curve)} of {image.Width} pixels");
        int bottom = curve.Max(p => p.Y);
        Assert.True(LowestAt(curve, curve.Min(p => p.X)) < bottom - 5, "the curve's left end is not above its minimum");
        Assert.True(LowestAt(curve, curve.Max(p => p.X)) < bottom - 5, "the curve's right end is not above its minimum");

        // The 8 steps go from w₀ = 0.8 (C = 0.49) down to near the minimum: a wide band of points, falling from right to left.
        var steps = PixelsOf(image, Second);
        Assert.True(Span(steps) > 0.25 * image.Width, $"the steps span {Span(steps)} of {image.Width} pixels");
        Assert.True(LowestAt(steps, steps.Max(p => p.X)) < LowestAt(steps, steps.Min(p => p.X)) - 100, "the steps do not descend towards the minimum");
    }

    [Fact]
    public void TrainingFromAMetricsLog()
    {
        using var dir = new TempDirectory();
        string log = dir.WriteText("m.csv", "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second\n1,0.5,0.8,0.4,0.85,1,100\n2,0.3,0.9,0.35,0.88,1,100\n3,0.2,0.93,0.33,0.9,1,100\n");
        var (code, _, error) = CliRunner.Run("plot", "training", "--log", log, "--out", dir.File("t.png"));
        Assert.Equal((0, ""), (code, error));
        AssertPng(dir.File("t.png"), 800, 600);

        // Train loss (the first series) and train accuracy (the third) are lines over epochs 1 to 3, across the data area;
        // the loss falls from 0.5 to 0.2, so its line ends lower than it starts, and the accuracy's rises.
        using var image = SKBitmap.Decode(dir.File("t.png"));
        var loss = PixelsOf(image, First);
        var accuracy = PixelsOf(image, Third);
        Assert.True(Span(loss) > 0.5 * image.Width, $"the loss spans {Span(loss)} of {image.Width} pixels");
        Assert.True(Span(accuracy) > 0.5 * image.Width, $"the accuracy spans {Span(accuracy)} of {image.Width} pixels");
        Assert.True(LowestAt(loss, loss.Min(p => p.X)) < LowestAt(loss, loss.Max(p => p.X)), "the loss line does not fall");
        Assert.True(LowestAt(accuracy, accuracy.Min(p => p.X)) > LowestAt(accuracy, accuracy.Max(p => p.X)), "the accuracy line does not rise");
    }

    [Fact]
    public void WeightsOfAnImageModelAreOneTilePerUnitInPlace()
    {
        using var dir = new TempDirectory();
        var spec = ModelDescription.Mlp([16, 6, 3], Activation.ReLU, new CrossEntropyLoss());
        var model = (Sequential)spec.Build(new Generator(1));
        using var original = Plot(dir, model, spec);

        // Negating one unit's weights keeps the colour scale (the largest magnitude) and everything else, so the pixels that
        // change are that unit's tile alone: 6 units of 4×4 make a grid of 3 columns and 2 rows, unit 0 at the top left,
        // unit 5 at the bottom right, each tile square.
        var first = ChangedArea(original, dir, model, spec, unit: 0);
        var last = ChangedArea(original, dir, model, spec, unit: 5);
        Assert.True(first.Right < last.Left && first.Bottom < last.Top, $"unit 0's tile {first} is not above and left of unit 5's {last}");
        foreach (var tile in new[] { first, last })
        {
            Assert.InRange(tile.Width, 10, original.Width / 3);
            Assert.InRange(tile.Height, tile.Width - 2, tile.Width + 2);
        }
    }

    private static SKBitmap Plot(TempDirectory dir, Sequential model, ModelDescription spec)
    {
        ModelFile.Save(dir.File("m.safetensors"), model, spec);
        var (code, _, error) = CliRunner.Run("plot", "weights", "--model", dir.File("m.safetensors"), "--out", dir.File("w.png"), "--width", "500", "--height", "400");
        Assert.Equal((0, ""), (code, error));
        AssertPng(dir.File("w.png"), 500, 400);
        return SKBitmap.Decode(dir.File("w.png"));
    }

    /// <summary>The bounding box of the pixels that change when <paramref name="unit"/>'s weights are negated (and back).</summary>
    private static SKRectI ChangedArea(SKBitmap original, TempDirectory dir, Sequential model, ModelDescription spec, int unit)
    {
        var layer = (Linear)model.Layers[0];
        void Negate()
        {
            var row = layer.Weight.Span<float>().Slice(unit * layer.InFeatures, layer.InFeatures);
            for (int k = 0; k < row.Length; k++) row[k] = -row[k];
        }
        Negate();
        using var changed = Plot(dir, model, spec);
        Negate();
        var points = Enumerable.Range(0, original.Height)
            .SelectMany(y => Enumerable.Range(0, original.Width).Where(x => original.GetPixel(x, y) != changed.GetPixel(x, y)).Select(x => (X: x, Y: y)))
            .ToList();
        Assert.NotEmpty(points);
        return new SKRectI(points.Min(p => p.X), points.Min(p => p.Y), points.Max(p => p.X) + 1, points.Max(p => p.Y) + 1);
    }

    private static List<(int X, int Y)> PixelsOf(SKBitmap image, SKColor color)
    {
        var pixels = Enumerable.Range(0, image.Height)
            .SelectMany(y => Enumerable.Range(0, image.Width).Where(x => image.GetPixel(x, y) == color).Select(x => (X: x, Y: y)))
            .ToList();
        Assert.NotEmpty(pixels);
        return pixels;
    }

    /// <summary>How many columns lie between the leftmost and the rightmost pixel.</summary>
    private static int Span(List<(int X, int Y)> pixels) => pixels.Max(p => p.X) - pixels.Min(p => p.X) + 1;

    /// <summary>The lowest (largest y) of the pixels in column <paramref name="x"/>.</summary>
    private static int LowestAt(List<(int X, int Y)> pixels, int x) => pixels.Where(p => p.X == x).Max(p => p.Y);

    [Fact]
    public void BadRequestsAreOneLine()
    {
        using var dir = new TempDirectory();
        string badLog = dir.WriteText("bad.csv", "epoch,loss\n1,0.5\n");
        string notNumber = dir.WriteText("nan.csv", "epoch,train_loss,train_accuracy,test_loss,test_accuracy\n1,abc,,,\n");
        var spec = ModelDescription.Mlp([20, 4, 3], Activation.ReLU, new CrossEntropyLoss());
        ModelFile.Save(dir.File("m.safetensors"), spec.Build(new Generator(1)), spec);
        string png = dir.File("p.png");

        Assert.Equal("backprop: plot: there is no plot kind 'pie'; choose cost, activations, training, weights, filters, feature-maps, attention", Error("plot", "pie", "--out", png));
        Assert.StartsWith($"backprop: --log: cannot read '{dir.File("none.csv")}': ", Error("plot", "training", "--log", dir.File("none.csv"), "--out", png));
        Assert.Equal($"backprop: --log: '{badLog}' is not a metrics log from `train --log` (no column train_loss, train_accuracy, test_loss, test_accuracy)", Error("plot", "training", "--log", badLog, "--out", png));
        Assert.Equal($"backprop: --log: '{notNumber}' line 2, column 'train_loss': 'abc' is not a number", Error("plot", "training", "--log", notNumber, "--out", png));
        Assert.Equal($"backprop: --model: '{dir.File("m.safetensors")}' takes 20 inputs, not a square image", Error("plot", "weights", "--model", dir.File("m.safetensors"), "--out", png));
        Assert.Equal($"backprop: {dir.File("none.safetensors")}: cannot be read (Could not find file '{dir.File("none.safetensors")}'.)", Error("plot", "weights", "--model", dir.File("none.safetensors"), "--out", png));
        Assert.Equal("backprop: --width must be between 100 and 8000 pixels, got 5", Error("plot", "cost", "--out", png, "--width", "5"));
        Assert.False(File.Exists(png));
    }

    private static string Error(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        return error.TrimEnd();
    }
}

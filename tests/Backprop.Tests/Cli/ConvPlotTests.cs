using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;
using SkiaSharp;

namespace Backprop.Tests.Cli;

/// <summary>
/// <c>plot filters</c> and <c>plot feature-maps</c>, decoded with SkiaSharp: models whose kernels are set to known patterns
/// must show those patterns, in the places the layout gives their channels, in the colours their values have.
/// </summary>
public class ConvPlotTests
{
    private const int Width = 800, Height = 600;

    // An L of +1 (the left column and the bottom row) on −1: no flip or transpose of it is the same pattern.
    private static readonly float[] L = [1, -1, -1, 1, -1, -1, 1, 1, 1];

    [Fact]
    public void FiltersShowEachKernelInItsTileOnOneScale()
    {
        using var dir = new TempDirectory();
        var (model, description) = Model("Conv2d(1, 6, 3), ReLU(), Flatten(), Linear(96, 2)", [1, 6, 6]);
        var weights = ((Conv2d)model.Layers[0]).Weight.Span<float>();
        weights.Clear();
        weights[3 * 9 + 4] = 1; // filter 3's centre fixes the scale at ±1 in every image below
        using var plain = Filters(dir, model, description);

        // Six filters of 3×3 make 3 columns and 2 rows. The L drawn into filter 0 changes exactly its tile, at the top left;
        // into filter 5, the bottom right one; both square.
        using var withL = Filters(dir, model, description, kernel: 0);
        var first = Changed(plain, withL);
        using var withL5 = Filters(dir, model, description, kernel: 5);
        var last = Changed(plain, withL5);
        Assert.True(first.Right < last.Left && first.Bottom < last.Top, $"filter 0's tile {first} is not above and left of filter 5's {last}");
        Assert.InRange(first.Width, 60, Width / 3);
        Assert.InRange(first.Height, first.Width - 2, first.Width + 2);

        // Within the tile, each of the 3×3 weights in its place: +1 red, −1 blue.
        AssertPattern(withL, first, 3, 3, k => L[k] > 0 ? IsRed : IsBlue);
    }

    [Fact]
    public void FiltersOverSeveralChannelsShowTheChannelsSideBySide()
    {
        using var dir = new TempDirectory();
        var (model, description) = Model("Conv2d(2, 4, 3), ReLU(), Flatten(), Linear(64, 2)", [2, 6, 6]);
        var weights = ((Conv2d)model.Layers[0]).Weight.Span<float>(); // [4, 2, 3, 3]
        weights.Clear();
        weights[3 * 18 + 4] = 1;
        using var plain = Filters(dir, model, description);

        // Filter 1's two channels: channel 1's tile right of channel 0's, level with it, one kernel value (a third of a tile)
        // apart; filter 0's channel 1 ends further from filter 1's channel 0 than that, as filters are two values apart.
        SKRectI Tile(int filter, int channel)
        {
            using var drawn = Filters(dir, model, description, kernel: filter * 2 + channel);
            return Changed(plain, drawn);
        }
        var (c0, c1, previous) = (Tile(1, 0), Tile(1, 1), Tile(0, 1));
        Assert.InRange(c1.Top - c0.Top, -1, 1);
        Assert.InRange(c1.Left - c0.Right, c0.Width / 3 - 3, c0.Width / 3 + 3);
        if (previous.Top == c0.Top) Assert.InRange(c0.Left - previous.Right, 2 * c0.Width / 3 - 3, 2 * c0.Width / 3 + 3);
        else Assert.True(previous.Bottom < c0.Top, $"filter 0 {previous} is neither left of nor above filter 1 {c0}");

        using var withL = Filters(dir, model, description, kernel: 3);
        AssertPattern(withL, c1, 3, 3, k => L[k] > 0 ? IsRed : IsBlue);
    }

    [Fact]
    public void FeatureMapsShowTheInputAndEachConvLayersChannelsAfterItsActivation()
    {
        using var dir = new TempDirectory();
        // Layer 0 copies the input into channel 0 and makes 1 − input in channel 1 (kernel −1 at the centre, bias 1); after
        // the ReLU both are 0 or 1. Layer 2 (no activation after it) takes channel 0 alone: the input again.
        var (model, description) = Model("Conv2d(1, 2, 3, padding=1), ReLU(), Conv2d(2, 1, 1), Flatten(), Linear(64, 2)", [1, 8, 8]);
        var first = (Conv2d)model.Layers[0];
        var kernels = first.Weight.Span<float>();
        kernels.Clear();
        kernels[4] = 1;
        kernels[9 + 4] = -1;
        first.Bias!.Span<float>()[0] = 0;
        first.Bias!.Span<float>()[1] = 1;
        var second = (Conv2d)model.Layers[2];
        second.Weight.Span<float>()[0] = 1;
        second.Weight.Span<float>()[1] = 0;
        second.Bias!.Span<float>()[0] = 0;
        ModelFile.Save(dir.File("m.safetensors"), model, description);

        // Example 1 is the one drawn: white in its top-left quarter (image 0, the bottom-right quarter, must not show).
        var pixels = new byte[2 * 64];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) (pixels[y * 8 + x], pixels[64 + y * 8 + x]) = ((byte)(y >= 4 && x >= 4 ? 255 : 0), (byte)(y < 4 && x < 4 ? 255 : 0));
        string images = dir.WriteIdx("images.idx", [2, 8, 8], pixels);
        var (code, output, error) = CliRunner.Run("plot", "feature-maps", "--model", dir.File("m.safetensors"), "--input", images, "--index", "1", "--out", dir.File("f.png"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"({Width}×{Height})", output);
        using var image = Decode(dir.File("f.png"));

        // One row each, top to bottom: the input in grey (black where 0, so an L of black around the white quarter) ...
        var input = Largest(Components(image, IsBlack, 0, Height / 3), 1)[0];
        AssertQuarters(image, input, IsBlack, topLeft: false);
        // ... layer 0 after its ReLU: channel 0 bright in the top-left quarter, channel 1 (right of it, level) everywhere else ...
        var maps = Largest(Components(image, IsBright, Height / 3, 2 * Height / 3), 2).OrderBy(r => r.Left).ToList();
        var (channel0, channel1) = (maps[0], maps[1]);
        Assert.InRange(channel1.Top - channel0.Top, -1, 1);
        Assert.InRange(channel1.Width, 2 * channel0.Width - 3, 2 * channel0.Width + 3);
        AssertQuarters(image, channel1, IsBright, topLeft: false);
        var tile0 = new SKRectI(channel0.Left, channel0.Top, channel0.Left + channel1.Width, channel0.Top + channel1.Height);
        AssertQuarters(image, tile0, IsBright, topLeft: true);
        // ... and layer 2 as it comes out: the input's bright quarter and dark elsewhere.
        var last = Largest(Components(image, IsBright, 2 * Height / 3, Height), 1)[0];
        var tile2 = new SKRectI(last.Left, last.Top, last.Left + 2 * last.Width, last.Top + 2 * last.Height);
        AssertQuarters(image, tile2, IsBright, topLeft: true);
    }

    [Fact]
    public void FeatureMapsComeFromTheNetworkInEvalMode()
    {
        // BatchNorm2d with its initial running statistics (mean 0, variance 1) passes an image of ones through as ones in
        // eval mode: one bright tile. In training mode it would normalise by the image's own statistics, giving all zeros.
        using var dir = new TempDirectory();
        var (model, description) = Model("Conv2d(1, 1, 1), BatchNorm2d(1), ReLU(), Flatten(), Linear(16, 2)", [1, 4, 4]);
        var conv = (Conv2d)model.Layers[0];
        conv.Weight.Span<float>()[0] = 1;
        conv.Bias!.Span<float>()[0] = 0;
        ModelFile.Save(dir.File("m.safetensors"), model, description);
        string images = dir.WriteIdx("ones.idx", [1, 4, 4], Enumerable.Repeat((byte)255, 16).ToArray());
        var (code, _, error) = CliRunner.Run("plot", "feature-maps", "--model", dir.File("m.safetensors"), "--input", images, "--out", dir.File("f.png"));
        Assert.Equal((0, ""), (code, error));
        using var image = Decode(dir.File("f.png"));
        var tile = Largest(Components(image, IsBright, Height / 2, Height), 1)[0];
        Assert.InRange(tile.Height, tile.Width - 2, tile.Width + 2);
    }

    [Fact]
    public void BadRequestsAreOneLineAndWriteNothing()
    {
        using var dir = new TempDirectory();
        var (conv, convDescription) = Model("Conv2d(1, 2, 3), ReLU(), Flatten(), Linear(72, 2)", [1, 8, 8]);
        ModelFile.Save(dir.File("conv.safetensors"), conv, convDescription);
        var spec = ModelDescription.Mlp([20, 4, 3], Activation.ReLU, new CrossEntropyLoss());
        ModelFile.Save(dir.File("mlp.safetensors"), spec.Build(new Generator(1)), spec);
        string images = dir.WriteIdx("images.idx", [2, 8, 8], new byte[128]);
        string small = dir.WriteIdx("small.idx", [2, 7, 7], new byte[98]);
        string csv = dir.WriteText("rows.csv", "a,b,c\n1,2,3\n");
        string png = dir.File("p.png");
        string[] Maps(params string[] more) => ["plot", "feature-maps", "--model", dir.File("conv.safetensors"), "--out", png, .. more];

        CliAssert.OneLineError(CliRunner.Run("plot", "filters", "--model", dir.File("mlp.safetensors"), "--out", png), $"--model: '{dir.File("mlp.safetensors")}' has no Conv2d layer (Linear(20, 4), ReLU(), Linear(4, 3))");
        CliAssert.OneLineError(CliRunner.Run("plot", "feature-maps", "--model", dir.File("mlp.safetensors"), "--input", csv, "--out", png), $"--model: '{dir.File("mlp.safetensors")}' has no Conv2d layer (Linear(20, 4), ReLU(), Linear(4, 3))");
        CliAssert.OneLineError(CliRunner.Run("plot", "filters", "--out", png), "plot filters: give --model FILE");
        CliAssert.OneLineError(CliRunner.Run(Maps()), "plot feature-maps: give --model FILE and --input FILE (IDX images or CSV rows)");
        CliAssert.OneLineError(CliRunner.Run(Maps("--input", images, "--index", "2")), $"--index: '{images}' has 2 examples, so --index goes from 0 to 1, got 2");
        CliAssert.OneLineError(CliRunner.Run(Maps("--input", images, "--index", "-1")), "--index must be at least 0, got -1");
        CliAssert.OneLineError(CliRunner.Run(Maps("--input", small)), $"{small}: has examples of shape [1, 7, 7], the model takes [1, 8, 8]");
        CliAssert.OneLineError(CliRunner.Run(Maps("--input", csv)), $"{csv}: has examples of shape [3], the model takes [1, 8, 8]");
        CliAssert.OneLineError(CliRunner.Run(Maps("--input", dir.File("none.idx"))), $"{dir.File("none.idx")}: no such file");
        CliAssert.OneLineError(CliRunner.Run("plot", "feature-maps", "--model", dir.File("conv.safetensors"), "--input", images, "--out", dir.File("p.svg")), $"--out: '{dir.File("p.svg")}': this plot is written as PNG only");
        CliAssert.OneLineError(CliRunner.Run("plot", "cost", "--input", "x", "--out", png), "--input must be a finite number for plot cost, got 'x'");
        CliAssert.OneLineError(CliRunner.Run("plot", "cost", "--input", "0", "--out", png), "--input must not be 0, got 0");
        Assert.Empty(Directory.GetFiles(dir.Path, "p.*"));
    }

    private static (Sequential Model, ModelDescription Description) Model(string architecture, int[] inputShape)
    {
        var description = new ModelDescription(Architecture.Parse(architecture), inputShape, new CrossEntropyLoss());
        return ((Sequential)description.Build(new Generator(1)), description);
    }

    /// <summary>The filters of <paramref name="model"/>, with the L in 3×3 kernel number <paramref name="kernel"/> (which is 0 before and after).</summary>
    private static SKBitmap Filters(TempDirectory dir, Sequential model, ModelDescription description, int? kernel = null)
    {
        var weights = ((Conv2d)model.Layers[0]).Weight;
        if (kernel is { } k) L.CopyTo(weights.Span<float>().Slice(9 * k, 9));
        ModelFile.Save(dir.File("m.safetensors"), model, description);
        if (kernel is { } back) weights.Span<float>().Slice(9 * back, 9).Clear();
        var (code, output, error) = CliRunner.Run("plot", "filters", "--model", dir.File("m.safetensors"), "--out", dir.File("f.png"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"({Width}×{Height})", output);
        return Decode(dir.File("f.png"));
    }

    private static SKBitmap Decode(string path)
    {
        var image = SKBitmap.Decode(path);
        Assert.NotNull(image);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        return image;
    }

    /// <summary>The bounding box of the pixels that differ between two images of the same size.</summary>
    private static SKRectI Changed(SKBitmap before, SKBitmap after)
    {
        var points = Points(before, (x, y) => before.GetPixel(x, y) != after.GetPixel(x, y));
        Assert.NotEmpty(points);
        return Bounds(points);
    }

    /// <summary>Each of <paramref name="rows"/>×<paramref name="columns"/> cells of <paramref name="area"/> at its centre passes the check cell k gives.</summary>
    private static void AssertPattern(SKBitmap image, SKRectI area, int rows, int columns, Func<int, Func<SKColor, bool>> expected)
    {
        for (int k = 0; k < rows * columns; k++)
        {
            int x = area.Left + (2 * (k % columns) + 1) * area.Width / (2 * columns), y = area.Top + (2 * (k / columns) + 1) * area.Height / (2 * rows);
            Assert.True(expected(k)(image.GetPixel(x, y)), $"cell {k} at ({x}, {y}) of {area} is {image.GetPixel(x, y)}");
        }
    }

    /// <summary>The top-left quarter of <paramref name="tile"/> passes <paramref name="check"/> when <paramref name="topLeft"/>, and the other three do not; or the other way round.</summary>
    private static void AssertQuarters(SKBitmap image, SKRectI tile, Func<SKColor, bool> check, bool topLeft) =>
        AssertPattern(image, tile, 2, 2, k => color => check(color) == (k == 0 == topLeft));

    private static bool IsRed(SKColor c) => c.Red > c.Blue + 40;

    private static bool IsBlue(SKColor c) => c.Blue > c.Red + 40;

    private static bool IsBlack(SKColor c) => c.Red < 20 && c.Green < 20 && c.Blue < 20;

    /// <summary>The top of the bright colormap: viridis's yellow (253, 231, 37) at the largest value.</summary>
    private static bool IsBright(SKColor c) => c.Red > 230 && c.Green > 210 && c.Blue < 80;

    private static List<(int X, int Y)> Points(SKBitmap image, Func<int, int, bool> where) =>
        [.. Enumerable.Range(0, image.Height).SelectMany(y => Enumerable.Range(0, image.Width).Where(x => where(x, y)).Select(x => (x, y)))];

    private static SKRectI Bounds(List<(int X, int Y)> points) =>
        new(points.Min(p => p.X), points.Min(p => p.Y), points.Max(p => p.X) + 1, points.Max(p => p.Y) + 1);

    /// <summary>The bounding boxes of the 4-connected regions of pixels passing <paramref name="check"/> between rows <paramref name="top"/> and <paramref name="bottom"/>, with their sizes.</summary>
    private static List<(SKRectI Box, int Size)> Components(SKBitmap image, Func<SKColor, bool> check, int top, int bottom)
    {
        var seen = new bool[image.Width, bottom - top];
        var found = new List<(SKRectI, int)>();
        for (int y0 = top; y0 < bottom; y0++)
        {
            for (int x0 = 0; x0 < image.Width; x0++)
            {
                if (seen[x0, y0 - top] || !check(image.GetPixel(x0, y0))) continue;
                var region = new List<(int X, int Y)>();
                var queue = new Queue<(int X, int Y)>([(x0, y0)]);
                seen[x0, y0 - top] = true;
                while (queue.TryDequeue(out var p))
                {
                    region.Add(p);
                    foreach (var (x, y) in new[] { (p.X + 1, p.Y), (p.X - 1, p.Y), (p.X, p.Y + 1), (p.X, p.Y - 1) })
                    {
                        if (x < 0 || x >= image.Width || y < top || y >= bottom || seen[x, y - top] || !check(image.GetPixel(x, y))) continue;
                        seen[x, y - top] = true;
                        queue.Enqueue((x, y));
                    }
                }
                found.Add((Bounds(region), region.Count));
            }
        }
        return found;
    }

    /// <summary>The <paramref name="count"/> largest regions' boxes, each at least 400 pixels (text and a colour bar's end are smaller).</summary>
    private static List<SKRectI> Largest(List<(SKRectI Box, int Size)> regions, int count)
    {
        var largest = regions.OrderByDescending(r => r.Size).Take(count).ToList();
        Assert.True(largest.Count == count && largest.All(r => r.Size >= 400), $"expected {count} regions of 400 pixels or more, found sizes {string.Join(", ", regions.Select(r => r.Size).OrderDescending().Take(5))}");
        return [.. largest.Select(r => r.Box)];
    }
}

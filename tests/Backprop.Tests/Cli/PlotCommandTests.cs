using Backprop.NN;
using Backprop.Training;
using SkiaSharp;

namespace Backprop.Tests.Cli;

public class PlotCommandTests
{
    /// <summary>Decodes the PNG and checks its size, and that something was drawn (more than a handful of colours).</summary>
    private static void AssertPng(string path, int width, int height)
    {
        using var image = SKBitmap.Decode(path);
        Assert.NotNull(image);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image.Pixels.Distinct().Count() > 20, "the image is nearly blank");
    }

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
    public void TrainingFromAMetricsLog()
    {
        using var dir = new TempDirectory();
        string log = dir.WriteText("m.csv", "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second\n1,0.5,0.8,0.4,0.85,1,100\n2,0.3,0.9,0.35,0.88,1,100\n3,0.2,0.93,0.33,0.9,1,100\n");
        var (code, _, error) = CliRunner.Run("plot", "training", "--log", log, "--out", dir.File("t.png"));
        Assert.Equal((0, ""), (code, error));
        AssertPng(dir.File("t.png"), 800, 600);
    }

    [Fact]
    public void WeightsOfAnImageModel()
    {
        using var dir = new TempDirectory();
        var spec = new ModelSpec([16, 6, 3], Activation.ReLU, LossKind.CrossEntropy);
        ModelFile.Save(dir.File("m.safetensors"), spec.Build(new Generator(1)), spec);
        var (code, _, error) = CliRunner.Run("plot", "weights", "--model", dir.File("m.safetensors"), "--out", dir.File("w.png"), "--width", "500", "--height", "400");
        Assert.Equal((0, ""), (code, error));
        AssertPng(dir.File("w.png"), 500, 400);
    }

    [Fact]
    public void BadRequestsAreOneLine()
    {
        using var dir = new TempDirectory();
        string badLog = dir.WriteText("bad.csv", "epoch,loss\n1,0.5\n");
        string notNumber = dir.WriteText("nan.csv", "epoch,train_loss,train_accuracy,test_loss,test_accuracy\n1,abc,,,\n");
        var spec = new ModelSpec([20, 4, 3], Activation.ReLU, LossKind.CrossEntropy);
        ModelFile.Save(dir.File("m.safetensors"), spec.Build(new Generator(1)), spec);
        string png = dir.File("p.png");

        Assert.Equal("backprop: plot: there is no plot kind 'pie'; choose cost, activations, training, weights", Error("plot", "pie", "--out", png));
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

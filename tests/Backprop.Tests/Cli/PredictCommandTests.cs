using System.Globalization;
using System.Text.Json;
using Backprop.Losses;
using Backprop.Autograd;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Cli;

public class PredictCommandTests
{
    // Five 2×2 images; predict reads IDX pixels as byte / 255.
    private static readonly byte[] Pixels = [200, 10, 10, 0, 10, 200, 10, 0, 10, 10, 200, 0, 30, 60, 90, 120, 255, 128, 0, 255];
    private const int Images = 5;

    // The model's output j is 3 × pixel j (below), so the class is the brightest of the first three pixels: by hand 0, 1, 2,
    // 2 (90 of 30, 60, 90) and 0 (255 of 255, 128, 0).
    private static readonly int[] Classes = [0, 1, 2, 2, 0];

    /// <summary>A 4-3 classifier whose output j is 3 × pixel j: classes that differ from image to image, known by hand.</summary>
    private static (string Path, Sequential Model) SaveModel(TempDirectory dir)
    {
        var spec = ModelDescription.Mlp([4, 3], Activation.ReLU, new CrossEntropyLoss());
        var model = (Sequential)spec.Build(new Generator(5));
        var layer = (Linear)model.Layers[0];
        var weight = layer.Weight.Span<float>();
        for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) weight[j * 4 + k] = j == k ? 3 : 0;
        layer.Bias!.Span<float>().Clear();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, model, spec);
        return (path, model);
    }

    /// <summary>Each image's softmax probability of its class, from the model's forward pass here.</summary>
    private static double[] Probabilities(Sequential model)
    {
        model.Eval();
        double[] outputs;
        using (new NoGrad()) outputs = model.Forward(Tensor.FromArray(Pixels.Select(p => p / 255f).ToArray(), [Images, 4])).ToDoubleArray();
        return [.. Enumerable.Range(0, Images).Select(i => 1 / outputs.AsSpan(i * 3, 3).ToArray().Sum(v => Math.Exp(v - outputs[i * 3 + Classes[i]])))];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxImagesGiveOneRowPerImage(bool gzip)
    {
        using var dir = new TempDirectory();
        var (model, network) = SaveModel(dir);
        string images = dir.WriteIdx("images-idx3-ubyte", [Images, 2, 2], Pixels, gzip);

        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--input", images);
        Assert.Equal((0, ""), (code, error));
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("index,class,probability", lines[0]);
        var probabilities = Probabilities(network);
        Assert.Equal(Images + 1, lines.Length);
        for (int i = 0; i < Images; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal([$"{i}", $"{Classes[i]}"], cells[..2]);
            // Probabilities are printed rounded to 6 decimals.
            Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture), probabilities[i] - 5e-7, probabilities[i] + 5e-7);
        }
    }

    [Fact]
    public void JsonGivesIndexClassAndProbabilityPerRow()
    {
        using var dir = new TempDirectory();
        var (model, network) = SaveModel(dir);
        string images = dir.WriteIdx("images-idx3-ubyte", [Images, 2, 2], Pixels);

        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--input", images, "--format", "json");
        Assert.Equal((0, ""), (code, error));
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToList();
        var probabilities = Probabilities(network);
        Assert.Equal(Images, rows.Count);
        for (int i = 0; i < Images; i++)
        {
            Assert.Equal(["index", "class", "probability"], rows[i].EnumerateObject().Select(p => p.Name));
            Assert.Equal(i, rows[i].GetProperty("index").GetInt32());
            Assert.Equal(Classes[i], rows[i].GetProperty("class").GetInt32());
            Assert.InRange(rows[i].GetProperty("probability").GetDouble(), probabilities[i] - 5e-7, probabilities[i] + 5e-7);
        }
    }

    [Fact]
    public void AMissingModelIsOneLineNamingIt()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("x.csv", "a,b,c,d\n1,2,3,4\n");
        string missing = dir.File("none.safetensors");
        var before = dir.Snapshot();

        CliAssert.OneLineError(CliRunner.Run("predict", "--model", missing, "--input", csv), $"{missing}: cannot be read (Could not find file '{missing}'.)");
        Assert.Equal(before, dir.Snapshot());
    }

    [Theory]
    [InlineData("a,b,c,d\n1,2,3,4\n5,6,x,8\n", "line 3, column 'c': 'x' is not a number")]
    [InlineData("a,b,c,d\n1,2,3,4\n5,6,7\n", "line 3 has 3 cells, the header has 4")]
    [InlineData("a,b,c,d\n1,2,3,4,5\n", "line 2 has 5 cells, the header has 4")]
    public void AMalformedCsvIsOneLineNamingTheFileAndThePlace(string text, string problem)
    {
        using var dir = new TempDirectory();
        var (model, _) = SaveModel(dir);
        string csv = dir.WriteText("bad.csv", text);
        var before = dir.Snapshot();

        CliAssert.OneLineError(CliRunner.Run("predict", "--model", model, "--input", csv), $"{csv}: {problem}");
        Assert.Equal(before, dir.Snapshot());
    }
}

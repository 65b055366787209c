using Backprop.Cli.Plots;
using Backprop.Data;
using Backprop.NN;
using SkiaSharp;

namespace Backprop.Tests.Cli;

public class AttentionPlotTests
{
    [Fact]
    public void AGptsHeadsAreDrawnAsAGridOfHeatmapsAtTheRequestedSize()
    {
        const string Prompt = "to be,\nor not";
        var tokenizer = CharTokenizer.FromText(Prompt);
        var tokens = tokenizer.Encode(Prompt);
        var gpt = new GPT(vocabSize: tokenizer.VocabularySize, blockSize: 16, nLayer: 2, nHead: 3, nEmbd: 12, generator: new Generator(1));
        string[] labels = [.. tokens.Select(token => tokenizer.Vocabulary[token])];

        using var dir = new TempDirectory();
        Chart.Save(AttentionPlot.Create(gpt, tokens, labels, "Attention of a random GPT", 900, 650), dir.File("a.png"), 900, 650);

        using var image = SKBitmap.Decode(dir.File("a.png"));
        Assert.NotNull(image);
        Assert.Equal((900, 650), (image.Width, image.Height));
        // Query 0 attends to key 0 alone, with weight 1, in every head: the colormap's top colour is drawn; the masked
        // weights (0) are its bottom colour.
        var pixels = image.Pixels.ToHashSet();
        foreach (double weight in new[] { 0.0, 1.0 })
        {
            var c = AttentionPlot.Colormap.GetColor(weight);
            Assert.Contains(new SKColor(c.R, c.G, c.B, c.A), pixels);
        }
    }

    [Theory]
    [InlineData("a b", "a␣b")]
    [InlineData("\n", "⏎")]
    [InlineData("\r\n", "⏎")]
    [InlineData("\t", "⇥")]
    public void InvisibleCharactersGetASymbol(string token, string label) => Assert.Equal(label, AttentionPlot.Label(token));
}

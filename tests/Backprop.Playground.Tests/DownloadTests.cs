using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Cli;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>The network trained on the page downloads as a model file that <c>backprop eval</c> scores as the page does.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DownloadTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_downloaded_model_evaluates_with_the_cli_to_the_pages_accuracy()
    {
        await using var page = await playground.OpenAsync("/#dataset=gauss&classes=3&loss=cross-entropy&noise=35&seed=3", output);
        var p = page.Page;
        await p.TestId("play").ClickAsync();
        await p.WaitForNumberAsync("epoch", e => e >= 20, TimeSpan.FromSeconds(60));
        await p.TestId("play").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(p.TestId("play")).ToHaveAttributeAsync("title", "play");
        double pageAccuracy = await p.NumberAsync("test-accuracy");
        string pageLoss = await p.TextAsync("test-loss");

        string folder = Directory.CreateTempSubdirectory("playground-download-").FullName;
        try
        {
            string model = await DownloadAsync(p, "download-model", folder);
            string data = await DownloadAsync(p, "download-data", folder);
            string onnx = await DownloadAsync(p, "download-onnx", folder);
            Assert.True(new FileInfo(onnx).Length > 100);

            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            int code = BackpropCommand.Run(["eval", "--model", model, "--data", data], stdout, stderr);
            output.WriteLine($"page: test loss {pageLoss}, accuracy {pageAccuracy} %\nbackprop eval: {stdout}{stderr}");
            Assert.Equal(0, code);
            var match = Regex.Match(stdout.ToString(), @"loss (\d+\.\d+), accuracy (\d+\.\d+) ?%");
            Assert.True(match.Success, stdout.ToString());
            Assert.Equal(pageAccuracy, double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal(double.Parse(pageLoss, CultureInfo.InvariantCulture), double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0.0006);
            Assert.True(pageAccuracy > 60, $"accuracy {pageAccuracy} % after 20 epochs"); // chance: 33 %
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.Empty(page.Errors);
    }

    private static async Task<string> DownloadAsync(Microsoft.Playwright.IPage page, string button, string folder)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.TestId(button).ClickAsync());
        string path = Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return path;
    }
}

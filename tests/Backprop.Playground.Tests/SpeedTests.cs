using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>
/// How fast the page trains (docs/playground.md reports it): epochs per second of the default network (2 inputs, 4-2 tanh, batch 10,
/// 250 training points), every map redrawn every frame, measured inside the page over 5 seconds. Printed, not asserted
/// beyond progress: speed is a benchmark, and the CI machine's cores are shared.
/// </summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SpeedTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Epochs_per_second_of_the_default_network()
    {
        await using var page = await playground.OpenAsync("/", output);
        var p = page.Page;
        await p.TestId("play").ClickAsync();
        await p.WaitForNumberAsync("epoch", e => e >= 5, TimeSpan.FromSeconds(30)); // past the first frames' warm-up
        // [epochs per second, animation frames per second], both counted in the page.
        double[] rates = await p.EvaluateAsync<double[]>(@"async () => {
            const epoch = () => Number(document.querySelector('[data-testid=epoch]').textContent);
            let frames = 0, counting = true;
            const count = () => { frames++; if (counting) requestAnimationFrame(count); };
            requestAnimationFrame(count);
            const e0 = epoch(), t0 = performance.now();
            await new Promise(r => setTimeout(r, 5000));
            counting = false;
            const seconds = (performance.now() - t0) / 1000;
            return [(epoch() - e0) / seconds, frames / seconds];
        }");
        await p.TestId("play").ClickAsync();
        string report = $"playground speed: {rates[0]:F1} epochs/s at {rates[1]:F1} frames/s (default network, every map redrawn every frame)";
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(PlaygroundPage.ScreenshotFolder, "..", "playground-speed.txt"), report + "\n");
        Assert.True(rates[0] > 0);
        Assert.Empty(page.Errors);
    }
}

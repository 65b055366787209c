using System.Diagnostics;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>Play trains the network in the page: the training loss falls, as TensorFlow Playground's does, on xor and on the spiral.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class TrainingTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    // The default network (2 inputs, 4-2 tanh, batch 10, learning rate 0.03) on xor: the library reaches a training
    // loss of 0.033 after 25 epochs (0.013 after 50) with this seed.
    [SkippableFact]
    public Task Xor_training_loss_falls_below_0_05_within_30_seconds() =>
        TrainsAsync("/#dataset=xor&seed=1", target: 0.05, TimeSpan.FromSeconds(30));

    // The spiral needs more: 8-8-6 tanh on x₁, x₂, their squares and sines (the library: 0.0074 after 150 epochs).
    [SkippableFact]
    public Task Spiral_training_loss_falls_below_0_05_within_90_seconds() =>
        TrainsAsync("/#dataset=spiral&networkShape=8,8,6&xSquared=true&ySquared=true&sinX=true&sinY=true&seed=1", target: 0.05, TimeSpan.FromSeconds(90));

    private async Task TrainsAsync(string url, double target, TimeSpan timeout)
    {
        await using var page = await playground.OpenAsync(url, output);
        double start = await page.Page.NumberAsync("train-loss");
        var clock = Stopwatch.StartNew();
        await page.Page.TestId("play").ClickAsync();
        double loss = await page.Page.WaitForNumberAsync("train-loss", l => l < target, timeout);
        await page.Page.TestId("play").ClickAsync();
        output.WriteLine($"{url}: training loss {start} → {loss} in {clock.Elapsed.TotalSeconds:F1} s, epoch {await page.Page.TextAsync("epoch")}");
        Assert.True(loss < target, $"training loss {loss} after {timeout.TotalSeconds} s (from {start})");
        Assert.Empty(page.Errors);
    }
}

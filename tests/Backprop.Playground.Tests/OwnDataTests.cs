using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>The learner's own data: points clicked onto the map (shift for the next class), or a CSV of x1,x2,label uploaded.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OwnDataTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Clicked_points_are_trained_on()
    {
        await using var page = await playground.OpenAsync("/#dataset=custom", output);
        var p = page.Page;
        await Assertions.Expect(p.Locator(".network .problem")).ToContainTextAsync("Click on the map to add points");
        await Assertions.Expect(p.TestId("train-loss")).ToHaveTextAsync("–");

        // Class 0 on the left half of the 300-pixel map, class 1 (shift-click) on the right: an easy line to learn.
        var map = p.Locator("#output-points");
        foreach (var (x, y, shift) in new[] { (40, 60, false), (60, 200, false), (80, 120, false), (230, 80, true), (250, 240, true), (270, 150, true) })
            await map.ClickAsync(new() { Position = new() { X = x, Y = y }, Modifiers = shift ? [KeyboardModifier.Shift] : [] });
        await Assertions.Expect(p.TestId("train-loss")).Not.ToHaveTextAsync("–");
        await Assertions.Expect(p.Locator(".network .problem")).ToHaveCountAsync(0);

        await p.TestId("play").ClickAsync();
        double loss = await p.WaitForNumberAsync("train-loss", l => l < 0.05, TimeSpan.FromSeconds(30));
        await p.TestId("play").ClickAsync();
        Assert.True(loss < 0.05, $"training loss {loss} on six separable points");
        await page.ScreenshotAsync("own-points");
        Assert.Empty(page.Errors);
    }

    [SkippableFact]
    public async Task An_uploaded_csv_of_three_classes_switches_to_cross_entropy()
    {
        await using var page = await playground.OpenAsync("/", output);
        var p = page.Page;
        await p.TestId("dataset-custom").ClickAsync();
        var csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 30; i++)
        {
            int label = i % 3;
            double angle = 2 * Math.PI * label / 3, radius = 2 + 0.1 * i;
            csv.Append(string.Create(CultureInfo.InvariantCulture, $"{radius * Math.Cos(angle):F3},{radius * Math.Sin(angle):F3},{label}\n"));
        }
        await p.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "three.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await Assertions.Expect(p.TestId("classes")).ToHaveValueAsync("3");
        await Assertions.Expect(p.TestId("loss")).ToHaveValueAsync("cross-entropy");
        await Assertions.Expect(p.Locator("[data-map='3-2']")).ToHaveCountAsync(1); // an output per class

        await p.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("x1,x2,label\n1,2,0.5\n") });
        await Assertions.Expect(p.Locator(".own-data .problem")).ToContainTextAsync("bad.csv");
        Assert.Empty(page.Errors);
    }

    [SkippableFact]
    public async Task Regression_learns_the_plane()
    {
        await using var page = await playground.OpenAsync("/#problem=regression&dataset=reg-plane&seed=1", output);
        var p = page.Page;
        await Assertions.Expect(p.TestId("dataset-reg-plane")).ToHaveClassAsync("chosen");
        double start = await p.NumberAsync("train-loss");
        await p.TestId("play").ClickAsync();
        double loss = await p.WaitForNumberAsync("train-loss", l => l < 0.01, TimeSpan.FromSeconds(30));
        await p.TestId("play").ClickAsync();
        output.WriteLine($"regression: training loss {start} → {loss}");
        Assert.True(loss < 0.01, $"training loss {loss} (from {start})");
        Assert.Empty(page.Errors);
    }
}

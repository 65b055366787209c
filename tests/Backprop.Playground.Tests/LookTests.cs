using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>
/// Screenshots of the page in use, at a desktop's 1280×800 and a phone's 390×844, for a person to look at (the test
/// output names the files); the page's structure is checked where a glance would: nothing wider than the screen.
/// </summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LookTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task The_page_in_use(string device)
    {
        var viewport = device == "phone" ? Viewport.Phone : Viewport.Desktop;
        await using var page = await playground.OpenAsync("/#dataset=spiral&classes=3&loss=cross-entropy&networkShape=6,6&activation=relu&showTestData=true&seed=2", output, viewport);
        var p = page.Page;
        await p.TestId("play").ClickAsync();
        await p.WaitForNumberAsync("epoch", e => e >= 30, TimeSpan.FromSeconds(60));
        await p.TestId("play").ClickAsync();
        await p.TestId("link-2-3-1").DispatchEventAsync("click"); // links cross: a pointer click at its middle could land on another
        await p.TestId("chain-rule").WaitForAsync();
        await page.ScreenshotAsync($"playground-{device}");
        await page.ScreenshotAsync($"playground-{device}-full", fullPage: true);

        await p.TestId("gradient-view").CheckAsync();
        await page.ScreenshotAsync($"playground-{device}-gradients");

        int scrollWidth = await p.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= viewport.Width, $"the page is {scrollWidth} px wide on a {viewport.Width} px screen");
        Assert.Empty(page.Errors);
    }
}

using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>The article's example on its own page: one step from w₀ = 0.8 gives the article's 0.59, then 0.4745, 0.410975.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ArticlePageTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Each_step_gives_the_articles_weight()
    {
        await using var page = await playground.OpenAsync("/article", output);
        Assert.Equal("0.8", await page.Page.TextAsync("article-w"));
        foreach (var expected in new[] { "0.59", "0.4745", "0.410975" })
        {
            await page.Page.TestId("article-step").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(page.Page.TestId("article-w")).ToHaveTextAsync(expected);
        }
        await page.ScreenshotAsync("article-desktop", fullPage: true);
        Assert.Empty(page.Errors);
    }

    [SkippableFact]
    public async Task A_learning_rate_of_1_diverges()
    {
        await using var page = await playground.OpenAsync("/article", output, Viewport.Phone);
        await page.Page.TestId("article-r").FillAsync("1");
        await page.Page.TestId("article-r").DispatchEventAsync("change");
        // w ← w − 1·2(1.5w − 0.5)·1.5: 0.8 → −1.3 → 6.05, each step further from 1/3.
        for (int i = 0; i < 2; i++) await page.Page.TestId("article-step").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Page.TestId("article-w")).ToHaveTextAsync("6.05");
        await Microsoft.Playwright.Assertions.Expect(page.Page.TestId("article-trend")).ToContainTextAsync("Diverging");
        await page.ScreenshotAsync("article-phone-diverging", fullPage: true);
        Assert.Empty(page.Errors);
    }

    [SkippableFact]
    public async Task Leaving_the_playground_while_it_plays_leaves_no_error()
    {
        await using var page = await playground.OpenAsync("/", output);
        await page.Page.TestId("play").ClickAsync();
        await page.Page.WaitForNumberAsync("epoch", e => e >= 3, TimeSpan.FromSeconds(30));
        await page.Page.GetByText("The article's example").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Page.TestId("article-w")).ToHaveTextAsync("0.8");
        await page.Page.WaitForTimeoutAsync(500); // frames that would still call into the playground's page
        Assert.Empty(page.Errors);
    }
}

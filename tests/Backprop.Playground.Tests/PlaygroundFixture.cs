using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>
/// One per test run (the <see cref="PlaygroundCollection"/>): the page as published by this project's build (the
/// PublishPlayground target, Release), served by <see cref="PlaygroundServer"/>, and one headless Chromium. Tests open
/// pages with <see cref="OpenAsync"/>. Disposing stops the server and closes the browser and Playwright's driver.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    private PlaygroundServer? server;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The published page's files: <c>bin/&lt;configuration&gt;/net10.0/playground/wwwroot</c> beside the tests.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "playground", "wwwroot");

    /// <summary>Where the server serves the page, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => server?.BaseAddress ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebRoot, "index.html")))
            throw new InvalidOperationException($"the published page is missing ({WebRoot}): this project's build publishes it; build the test project");
        server = await PlaygroundServer.StartAsync(WebRoot);
        if (!Chromium.IsInstalled) return; // OpenAsync skips each browser test; .ci/run installs Chromium and fails on a skip
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions());
    }

    /// <summary>
    /// Opens <paramref name="pathAndHash"/> (such as <c>"/"</c>, <c>"/article"</c> or <c>"/#activation=tanh"</c>) in a
    /// new browser context of its own (empty storage) at <paramref name="viewport"/> (default
    /// <see cref="Viewport.Desktop"/>), collects its console errors and page errors from the start, and waits for the
    /// Blazor app to start (<see cref="PlaygroundPage.WaitForAppAsync"/>). Skips the calling test (a SkippableFact or
    /// SkippableTheory) where Chromium is not installed.
    /// </summary>
    public async Task<PlaygroundPage> OpenAsync(string pathAndHash, ITestOutputHelper output, Viewport? viewport = null)
    {
        Skip.If(browser is null, $"Chromium is not installed here ({Chromium.ExecutablePath}; apt-get install chromium; .ci/run installs it)");
        viewport ??= Viewport.Desktop;
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            IsMobile = viewport.IsMobile,
            HasTouch = viewport.IsMobile,
            DeviceScaleFactor = 1,
        });
        var page = new PlaygroundPage(context, await context.NewPageAsync(), output);
        try
        {
            var url = new Uri(BaseAddress, pathAndHash);
            output.WriteLine($"open {url} at {viewport}");
            await page.Page.GotoAsync(url.ToString());
            await page.WaitForAppAsync();
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        if (server is not null) await server.DisposeAsync();
    }
}

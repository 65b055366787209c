using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>
/// A page of the playground opened by <see cref="PlaygroundFixture.OpenAsync"/>: Playwright's <see cref="Page"/>, the
/// console errors and page errors seen since it opened, and screenshots. Disposing closes its browser context.
/// </summary>
public sealed class PlaygroundPage : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly ITestOutputHelper output;
    private readonly ConcurrentQueue<string> errors = new();

    internal PlaygroundPage(IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        this.context = context;
        this.output = output;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type != "error") return;
            errors.Enqueue($"console error: {message.Text} (at {message.Location})");
        };
        page.PageError += (_, error) => errors.Enqueue($"page error: {error}");
    }

    /// <summary>Playwright's page, for locators, clicks and evaluation.</summary>
    public IPage Page { get; }

    /// <summary>Console messages of type error and uncaught exceptions (page errors), in the order they came.</summary>
    public IReadOnlyList<string> Errors => [.. errors];

    /// <summary>The folder of the screenshots: <c>TestResults/playground-screenshots</c> at the repository root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(Repository.Root, "TestResults", "playground-screenshots");

    /// <summary>
    /// Waits until the Blazor app has started: its first render has replaced the loading indicator in <c>#app</c>. Fails
    /// at once if Blazor's error bar (<c>#blazor-error-ui</c>) shows, and after <paramref name="timeoutMs"/> if the app
    /// never starts, with the errors seen so far in the message. Call it again after a reload.
    /// </summary>
    public async Task WaitForAppAsync(float timeoutMs = 60_000)
    {
        const string started = """
            () => {
              const errorBar = document.getElementById('blazor-error-ui');
              if (errorBar && getComputedStyle(errorBar).display !== 'none') return 'error';
              const app = document.getElementById('app');
              return app && !app.querySelector('.loading-progress') ? 'started' : null;
            }
            """;
        string? state;
        try
        {
            state = await (await Page.WaitForFunctionAsync(started, null, new() { Timeout = timeoutMs })).JsonValueAsync<string>();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the Blazor app did not start within {timeoutMs / 1000} s; errors: {Describe(Errors)}", e);
        }
        if (state == "error") throw new InvalidOperationException($"Blazor's error bar is showing; errors: {Describe(Errors)}");
    }

    /// <summary>Saves a PNG of the viewport (or of the whole page) as <c>ScreenshotFolder/NAME.png</c>, writes its path to
    /// the test's output, and returns the path.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = false)
    {
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string error in errors) output.WriteLine(error);
        await context.CloseAsync();
    }

    private static string Describe(IReadOnlyList<string> errors) => errors.Count == 0 ? "none" : string.Join("; ", errors);
}

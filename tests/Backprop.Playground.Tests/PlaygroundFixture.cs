namespace Backprop.Playground.Tests;

/// <summary>
/// One per test run (the <see cref="PlaygroundCollection"/>): the page as published by this project's build (the
/// PublishPlayground target, Release), served by <see cref="PlaygroundServer"/>. Disposing stops the server.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    private PlaygroundServer? server;

    /// <summary>The published page's files: <c>bin/&lt;configuration&gt;/net10.0/playground/wwwroot</c> beside the tests.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "playground", "wwwroot");

    /// <summary>Where the server serves the page, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress => server?.BaseAddress ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebRoot, "index.html")))
            throw new InvalidOperationException($"the published page is missing ({WebRoot}): this project's build publishes it; build the test project");
        server = await PlaygroundServer.StartAsync(WebRoot);
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }
}

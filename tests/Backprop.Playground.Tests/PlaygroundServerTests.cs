namespace Backprop.Playground.Tests;

/// <summary>The test server serves the published page as a static host would (no browser needed).</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PlaygroundServerTests(PlaygroundFixture playground)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Every_published_file_is_served_with_its_content_type()
    {
        var types = PlaygroundServer.ContentTypes();
        var files = Directory.EnumerateFiles(PlaygroundFixture.WebRoot, "*", SearchOption.AllDirectories)
            // The .br and .gz twins are for a host that negotiates Content-Encoding; this one serves the originals.
            .Where(file => Path.GetExtension(file) is not (".br" or ".gz"))
            .Select(file => Path.GetRelativePath(PlaygroundFixture.WebRoot, file).Replace('\\', '/'))
            .ToList();
        Assert.Contains(files, file => file.StartsWith("_framework/", StringComparison.Ordinal) && file.EndsWith(".wasm", StringComparison.Ordinal));

        foreach (string file in files)
        {
            using var response = await Http.GetAsync(new Uri(playground.BaseAddress, file));
            Assert.True(response.IsSuccessStatusCode, $"{file}: {(int)response.StatusCode}");
            Assert.True(types.TryGetContentType(file, out string? expected), $"{file}: no content type for its extension");
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{file}: cacheable");
        }
    }

    [Theory]
    [InlineData(".wasm", "application/wasm")] // WebAssembly.instantiateStreaming refuses any other type
    [InlineData(".js", "text/javascript")]
    [InlineData(".json", "application/json")]
    [InlineData(".html", "text/html")]
    [InlineData(".dat", "application/octet-stream")]
    public void The_server_knows_the_types_a_browser_needs(string extension, string type)
    {
        Assert.True(PlaygroundServer.ContentTypes().TryGetContentType("file" + extension, out string? actual));
        Assert.Equal(type, actual);
    }

    [Theory]
    [InlineData("article")]
    [InlineData("some/client/route")]
    public async Task A_client_route_gets_index_html(string route)
    {
        string index = await File.ReadAllTextAsync(Path.Combine(PlaygroundFixture.WebRoot, "index.html"));
        Assert.Equal(index, await Http.GetStringAsync(new Uri(playground.BaseAddress, route)));
    }

    [Fact]
    public async Task A_missing_file_is_a_404_not_index_html()
    {
        using var response = await Http.GetAsync(new Uri(playground.BaseAddress, "_framework/missing.wasm"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}

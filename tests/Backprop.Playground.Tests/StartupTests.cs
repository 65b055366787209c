using System.Buffers.Binary;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>The published page starts in Chromium, on its home page and on a client route, with no error.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class StartupTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("/")]
    [InlineData("/article")] // a client route: the server answers index.html and the page's router takes it from there
    public async Task The_app_starts_with_no_console_error_and_no_page_error(string path)
    {
        await using var page = await playground.OpenAsync(path, output);
        Assert.Empty(page.Errors);
    }

    [SkippableTheory]
    [InlineData("home-desktop", 1280, 800, false)]
    [InlineData("home-phone", 390, 844, true)]
    public async Task The_home_page_screenshot_is_the_viewport_size(string name, int width, int height, bool mobile)
    {
        await using var page = await playground.OpenAsync("/", output, new Viewport(width, height, mobile));
        byte[] png = await File.ReadAllBytesAsync(await page.ScreenshotAsync(name));

        // PNG: an 8-byte signature, then the IHDR chunk (length, "IHDR", width, height as big-endian integers).
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal((width, height), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        Assert.Empty(page.Errors);
    }
}

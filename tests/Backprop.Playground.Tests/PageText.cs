using System.Globalization;
using Microsoft.Playwright;

namespace Backprop.Playground.Tests;

/// <summary>Reading the page's numbers by their stable test ids.</summary>
internal static class PageText
{
    public static ILocator TestId(this IPage page, string id) => page.Locator($"[data-testid='{id}']");

    public static async Task<string> TextAsync(this IPage page, string id) => (await page.TestId(id).TextContentAsync() ?? "").Trim();

    public static async Task<double> NumberAsync(this IPage page, string id) => double.Parse(await page.TextAsync(id), CultureInfo.InvariantCulture);

    /// <summary>Polls <paramref name="id"/>'s number until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the last value.</summary>
    public static async Task<double> WaitForNumberAsync(this IPage page, string id, Func<double, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        double value;
        while (!done(value = await page.NumberAsync(id)) && DateTime.UtcNow < deadline) await Task.Delay(200);
        return value;
    }
}

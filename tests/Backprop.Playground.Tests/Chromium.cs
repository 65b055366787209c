using Microsoft.Playwright;

namespace Backprop.Playground.Tests;

/// <summary>Debian's Chromium, started headless by Playwright: .ci/run installs it (apt-get install chromium); no
/// browser is ever downloaded.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>Launch options for this machine: root (no sandbox), no GPU, and nothing that reaches for the network
    /// (on a closed network Chromium's background fetches fail, many at a time). Playwright gives it a fresh, empty
    /// profile folder.</summary>
    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args =
        [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    };
}

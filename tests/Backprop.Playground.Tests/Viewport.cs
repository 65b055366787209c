namespace Backprop.Playground.Tests;

/// <summary>A browser window's size in CSS pixels (drawn at one device pixel each, so a screenshot is Width×Height);
/// a mobile one also honours the page's viewport meta tag and has touch.</summary>
public sealed record Viewport(int Width, int Height, bool IsMobile = false)
{
    public static Viewport Desktop { get; } = new(1280, 800);

    /// <summary>A phone held upright (an iPhone 12 to 15's 390×844).</summary>
    public static Viewport Phone { get; } = new(390, 844, IsMobile: true);

    public override string ToString() => $"{Width}×{Height}{(IsMobile ? " (mobile)" : "")}";
}

namespace Backprop.Playground.Core;

/// <summary>What each <see cref="InputFeature"/> computes, and its names on the page and in the URL.</summary>
public static class InputFeatures
{
    /// <summary>Every feature, in the order the page lists them and the network takes them.</summary>
    public static IReadOnlyList<InputFeature> All { get; } = Enum.GetValues<InputFeature>();

    /// <summary>The feature's value at the point (x₁, x₂).</summary>
    public static float Compute(this InputFeature feature, float x1, float x2) => feature switch
    {
        InputFeature.X1 => x1,
        InputFeature.X2 => x2,
        InputFeature.X1Squared => x1 * x1,
        InputFeature.X2Squared => x2 * x2,
        InputFeature.X1TimesX2 => x1 * x2,
        InputFeature.SinX1 => MathF.Sin(x1),
        InputFeature.SinX2 => MathF.Sin(x2),
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };

    /// <summary>The URL key, TensorFlow Playground's own (x and y are its names for x₁ and x₂).</summary>
    public static string Key(this InputFeature feature) => feature switch
    {
        InputFeature.X1 => "x",
        InputFeature.X2 => "y",
        InputFeature.X1Squared => "xSquared",
        InputFeature.X2Squared => "ySquared",
        InputFeature.X1TimesX2 => "xTimesY",
        InputFeature.SinX1 => "sinX",
        InputFeature.SinX2 => "sinY",
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };

    /// <summary>The name shown on the page and used as the column name in exported data.</summary>
    public static string Label(this InputFeature feature) => feature switch
    {
        InputFeature.X1 => "x₁",
        InputFeature.X2 => "x₂",
        InputFeature.X1Squared => "x₁²",
        InputFeature.X2Squared => "x₂²",
        InputFeature.X1TimesX2 => "x₁x₂",
        InputFeature.SinX1 => "sin x₁",
        InputFeature.SinX2 => "sin x₂",
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };
}

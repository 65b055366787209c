namespace Backprop.Playground.Descent;

/// <summary>Where the last step went relative to the minimum w* = y/i.</summary>
public enum Trend
{
    /// <summary>No step taken yet.</summary>
    None,

    /// <summary>The step moved w by less than <see cref="DescentRun.ConvergedBelow"/>.</summary>
    Converged,

    /// <summary>Closer to w* without crossing it.</summary>
    Approaching,

    /// <summary>Across w*, landing closer than before.</summary>
    OvershootingLess,

    /// <summary>Across w*, landing as far away as before: it bounces forever.</summary>
    Bouncing,

    /// <summary>Further from w* than before.</summary>
    Diverging,
}

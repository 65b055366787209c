namespace Backprop.Playground.Core;

/// <summary>The inputs a playground network can be given, each computed from a point's two coordinates.</summary>
public enum InputFeature
{
    /// <summary>x₁.</summary>
    X1,

    /// <summary>x₂.</summary>
    X2,

    /// <summary>x₁².</summary>
    X1Squared,

    /// <summary>x₂².</summary>
    X2Squared,

    /// <summary>x₁·x₂.</summary>
    X1TimesX2,

    /// <summary>sin x₁.</summary>
    SinX1,

    /// <summary>sin x₂.</summary>
    SinX2,
}

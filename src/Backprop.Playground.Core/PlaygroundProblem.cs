namespace Backprop.Playground.Core;

/// <summary>What the playground's network learns: a class for each point, or a number.</summary>
public enum PlaygroundProblem
{
    /// <summary>Each point has a class; the network is scored by its loss and accuracy.</summary>
    Classification,

    /// <summary>Each point has a value; the network is scored by its squared error.</summary>
    Regression,
}

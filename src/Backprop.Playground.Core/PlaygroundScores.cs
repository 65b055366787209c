using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>How the network does on the training points and, when there are any, the test points.</summary>
public sealed record PlaygroundScores(Evaluation Train, Evaluation? Test);

namespace Backprop.Explain;

/// <summary>
/// One step of gradient descent on the article's example, every number read off the engine: the forward values
/// (w, a = i·w, C = (a − y)²), the chain-rule factors (dC/da, da/dw) and their product dC/dw, and the updated weight.
/// </summary>
public sealed record ArticleStep(
    int Step,
    double Weight,
    double Output,
    double Cost,
    double CostByOutput,
    double OutputByWeight,
    double CostByWeight,
    double NextWeight);

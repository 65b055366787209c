namespace Backprop.NN;

/// <summary>One parameter of a layer's constructor as <c>torch.nn</c> names it; a null default means it is required.</summary>
internal sealed record LayerParameter(string Name, ArgumentValue? Default = null);

/// <summary>
/// A layer the architecture text can name: its constructor's parameters in <c>torch.nn</c>'s order and names, how to build
/// the module from bound arguments, what shape one example has after it (the input shape without the batch axis), and
/// the parameters and persistent buffers the built module registers (names and shapes in its state dict's order, none
/// when <see cref="State"/> is null), derived from the arguments without building it.
/// </summary>
internal sealed record LayerDefinition(
    string Name,
    LayerParameter[] Parameters,
    Func<LayerArguments, Generator?, Module> Build,
    Func<LayerArguments, int[], int[]> OutputShape,
    Func<LayerArguments, (string Name, int[] Shape)[]>? State = null)
{
    /// <summary>
    /// A whole model (GPT) rather than a layer: an architecture of this one layer builds the model itself, not wrapped in a
    /// <see cref="Sequential"/>, so that its state-dict keys are the model's own as in PyTorch (<c>transformer.wte.weight</c>).
    /// </summary>
    public bool IsModel { get; init; }

    /// <summary>
    /// State entries that are one tensor under two names (GPT's <c>lm_head.weight</c> is <c>transformer.wte.weight</c>): a
    /// file may hold either name or both, as <see cref="Module.LoadStateDict"/> reads them.
    /// </summary>
    public (string Name, string TiedTo)[] Ties { get; init; } = [];
}

/// <summary>
/// Thrown by a layer's shape rule when its input does not fit: <see cref="What"/> describes the input it gets ("576
/// features"), <see cref="Reason"/> optionally why that does not fit. <see cref="Architecture"/> adds the layer and where
/// the input comes from.
/// </summary>
internal sealed class LayerInputException(string what, string? reason = null) : Exception(what)
{
    public string What { get; } = what;

    public string? Reason { get; } = reason;
}

namespace Backprop.NN;

/// <summary>
/// Any model that maps tokens [B, T] to logits [B, T, vocabulary]: each next token's logits come from a forward over the
/// context cropped to its last block-size tokens, as nanoGPT's <c>generate</c> does.
/// </summary>
internal sealed class WindowLogits : NextTokenLogits
{
    private readonly Module model;
    private readonly int blockSize;
    private readonly List<int> context = []; // the last blockSize tokens read

    public WindowLogits(Module model, int blockSize) : base(model)
    {
        this.model = model;
        this.blockSize = blockSize;
    }

    public override double[] Start(IReadOnlyList<int> prompt)
    {
        context.Clear();
        Append(context, prompt, blockSize);
        return Infer(() => model.Forward(Row(context)));
    }

    public override double[] Next(int token)
    {
        Append(context, [token], blockSize);
        return Infer(() => model.Forward(Row(context)));
    }
}

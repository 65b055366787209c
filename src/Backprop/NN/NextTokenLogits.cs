using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// How <see cref="TextGenerator"/> gets the next token's logits from one kind of model: <see cref="Start"/> reads the prompt,
/// <see cref="Next"/> the token just sampled; each returns the logits [vocabulary] after the last token. Each kind does the
/// least work its model allows (a GPT reuses its keys and values, a recurrent network carries its state, any other model
/// recomputes its cropped context).
/// </summary>
internal abstract class NextTokenLogits(Module model)
{
    /// <summary>The logits after <paramref name="prompt"/> (at least one token), forgetting anything read before.</summary>
    public abstract double[] Start(IReadOnlyList<int> prompt);

    /// <summary>The logits after <paramref name="token"/>, appended to everything read since <see cref="Start"/>.</summary>
    public abstract double[] Next(int token);

    /// <summary>
    /// The way to generate from <paramref name="model"/>, cropping its context to <paramref name="blockSize"/> tokens (a GPT's
    /// own unless given); without <paramref name="useCache"/>, every model recomputes its cropped context.
    /// </summary>
    public static NextTokenLogits For(Module model, int? blockSize, bool useCache)
    {
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), $"block size must be at least 1, got {blockSize}");
        if (model is GPT gpt)
        {
            int size = blockSize ?? gpt.BlockSize;
            if (size > gpt.BlockSize) throw new ArgumentOutOfRangeException(nameof(blockSize), $"block size {size} is above the GPT's block_size {gpt.BlockSize}");
            return useCache ? new CachedGptLogits(gpt, size) : new WindowLogits(gpt, size);
        }
        if (useCache && model is Sequential sequential && RecurrentLogits.Fits(sequential)) return new RecurrentLogits(sequential);
        return new WindowLogits(model, blockSize ?? throw new ArgumentException(
            $"TextGenerator: {model.GetType().Name} needs a block size (the longest context it reads): only a GPT knows its own, and an Embedding → RNN/LSTM/GRU → Linear network carrying its state needs none"));
    }

    /// <summary>
    /// Runs <paramref name="forward"/> as inference (no graph, evaluation mode, the model's mode restored after) and returns
    /// the logits of its output's last position; the output must be [1, T, vocabulary].
    /// </summary>
    protected double[] Infer(Func<Tensor> forward)
    {
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            Tensor logits;
            using (new NoGrad()) logits = forward();
            if (logits.Rank != 3 || logits.Shape[0] != 1)
            {
                throw new ArgumentException($"TextGenerator: {model.GetType().Name} gave logits of shape {logits.Shape} for one sequence; expected [1, T, vocabulary]");
            }
            int t = logits.Shape[1];
            return logits.Slice(1, t - 1, t).ToDoubleArray();
        }
        finally
        {
            if (training) model.Train();
        }
    }

    /// <summary>Appends <paramref name="tokens"/> to <paramref name="context"/>, keeping only its last <paramref name="blockSize"/> tokens (nanoGPT's <c>idx[:, -block_size:]</c>).</summary>
    protected static void Append(List<int> context, IReadOnlyList<int> tokens, int blockSize)
    {
        context.AddRange(tokens);
        if (context.Count > blockSize) context.RemoveRange(0, context.Count - blockSize);
    }

    /// <summary>Tokens as the int64 tensor [1, T] a model reads.</summary>
    protected static Tensor Row(IEnumerable<int> tokens)
    {
        long[] values = [.. tokens.Select(token => (long)token)];
        return Tensor.FromArray(values, new Shape(1, values.Length));
    }
}

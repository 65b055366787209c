namespace Backprop.NN;

/// <summary>
/// Samples text from a language model as nanoGPT's <c>generate</c> does: the context is cropped to the block size, the last
/// position's logits are divided by the temperature, all but the <c>top_k</c> largest are set to −∞ when top-k is given,
/// softmax turns them into probabilities, and a token is drawn with Backprop's seeded <see cref="Generator"/> (same seed,
/// same text) and appended. A top-k of 1 is greedy: the most likely token (the first of equals), with no draw.
/// The model is any <see cref="Module"/> taking int64 tokens [B, T] to logits [B, T, vocabulary]; a <see cref="GPT"/> keeps
/// a key/value cache (each next token is one position's forward until the context fills the block size, then the cropped
/// window is recomputed), a sequential Embedding → RNN/LSTM/GRU (batch-first) → Linear network carries its recurrent state
/// (one time step per token, over the whole text, never cropped), and any other model recomputes its cropped context for
/// every token. It runs without a graph and in evaluation mode (the model's mode is restored after each step).
/// </summary>
public sealed class TextGenerator
{
    private readonly NextTokenLogits source;

    /// <summary>
    /// A generator for <paramref name="model"/>, reading at most <paramref name="blockSize"/> tokens of context: a GPT's
    /// block_size unless given (a smaller one crops more); a recurrent network needs none; any other model must be given
    /// one. With <paramref name="useCache"/> false, every token recomputes the cropped context instead (same tokens, slower:
    /// for comparison).
    /// </summary>
    public TextGenerator(Module model, int? blockSize = null, bool useCache = true) => source = NextTokenLogits.For(model, blockSize, useCache);

    /// <summary>
    /// The <paramref name="count"/> tokens that follow <paramref name="prompt"/> (at least one token), each yielded as soon as
    /// it is drawn. The prompt is read, and the arguments checked, when this is called; the rest runs as the tokens are
    /// enumerated. <paramref name="temperature"/> must be positive, <paramref name="topK"/> (none: every token) between 1 and
    /// the model's vocabulary; <paramref name="generator"/> is <see cref="Generator.Default"/> unless given. A generator reads
    /// one text at a time: calling this again starts afresh.
    /// </summary>
    public IEnumerable<int> Generate(IReadOnlyList<int> prompt, int count, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (prompt.Count == 0) throw new ArgumentException("TextGenerator: the prompt has no tokens (give at least one)", nameof(prompt));
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"count must be at least 1, got {count}");
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"temperature must be positive and finite, got {temperature}");
        if (topK < 1) throw TopKOutOfRange(topK.Value, null);
        double[] logits = source.Start(prompt);
        if (topK > logits.Length) throw TopKOutOfRange(topK.Value, logits.Length);
        return Continue(logits, count, temperature, topK, generator ?? Generator.Default);
    }

    private IEnumerable<int> Continue(double[] logits, int count, double temperature, int? topK, Generator generator)
    {
        for (int i = 0; i < count; i++)
        {
            int token = Sample(logits, temperature, topK, generator);
            yield return token;
            if (i + 1 < count) logits = source.Next(token);
        }
    }

    /// <summary>A token drawn from softmax(<paramref name="logits"/> / temperature) over the top-k logits (nanoGPT's rule: every logit below the k-th largest is −∞); top-k 1 is the argmax.</summary>
    internal static int Sample(double[] logits, double temperature, int? topK, Generator generator)
    {
        if (topK == 1) return Array.IndexOf(logits, logits.Max());
        double floor = double.NegativeInfinity;
        if (topK < logits.Length)
        {
            double[] sorted = [.. logits];
            Array.Sort(sorted, (a, b) => b.CompareTo(a));
            floor = sorted[topK.Value - 1];
        }
        double max = logits.Max();
        var weights = new double[logits.Length];
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            // exp((l − max) / T) is softmax's numerator scaled by a constant, which the draw below divides out.
            weights[i] = logits[i] < floor ? 0 : Math.Exp((logits[i] - max) / temperature);
            total += weights[i];
        }
        double u = generator.NextDouble() * total;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            last = i;
            u -= weights[i];
            if (u < 0) return i;
        }
        return last; // u landed on the total through rounding
    }

    private static ArgumentOutOfRangeException TopKOutOfRange(int topK, int? vocabulary) =>
        new("topK", vocabulary is int v ? $"top-k must be between 1 and the vocabulary size {v}, got {topK}" : $"top-k must be at least 1, got {topK}");
}

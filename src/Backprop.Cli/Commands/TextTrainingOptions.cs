using System.CommandLine;
using System.Globalization;

namespace Backprop.Cli;

/// <summary>
/// train's options for text (a corpus given as <c>--data FILE.txt</c>), nanoGPT's settings under its names: the window,
/// evaluation, and the warm-up + cosine schedule. --betas, --weight-decay-on and --clip-grad-norm apply to every run.
/// </summary>
internal sealed class TextTrainingOptions
{
    public Option<int?> BlockSize { get; } = new(TextModelDescription.BlockSizeOption) { Description = "Text: tokens per window (T); default: the GPT's block_size (required for other networks)" };

    public Option<string> Tokenizer { get; } = CheckedOption.Choice("--tokenizer", "Text: how text becomes tokens (char: the file's distinct characters, in code-point order; gpt2: GPT-2's byte-pair encoding, 50257 tokens)",
        "char", Backprop.Data.Tokenizer.Names);

    public Option<int> EvalInterval { get; } = CheckedOption.Int("--eval-interval", "Text: estimate the train and val loss every this many steps and keep the model with the best val loss (0: only at the end)", 0,
        v => v < 0 ? "must not be negative" : null);

    public Option<int> EvalIters { get; } = CheckedOption.Int("--eval-iters", "Text: batches per loss estimate", 200, v => v < 1 ? "must be at least 1" : null);

    public Option<string> Schedule { get; } = CheckedOption.Choice("--schedule", "Text: the learning-rate schedule per step (cosine: nanoGPT's linear warm-up, then cosine decay to --min-lr at the last step)", "constant", ["constant", "cosine"]);

    public Option<int> WarmupSteps { get; } = CheckedOption.Int("--warmup-steps", "With --schedule cosine: steps of linear warm-up", 0, v => v < 0 ? "must not be negative" : null);

    public Option<double?> MinLr { get; } = CheckedOption.OptionalDouble("--min-lr", "With --schedule cosine: the rate it decays to (default: --lr / 10)", v => v < 0 ? "must not be negative" : null);

    public Option<string?> Betas { get; } = new("--betas") { Description = "Adam and AdamW: the two betas, such as 0.9,0.99 (default 0.9,0.999)" };

    public Option<string> WeightDecayOn { get; } = CheckedOption.Choice("--weight-decay-on", "Which parameters weight decay applies to (matrices: two or more dimensions, nanoGPT's rule)", "all", ["all", "matrices"]);

    public Option<double?> ClipGradNorm { get; } = CheckedOption.OptionalDouble("--clip-grad-norm", "Scale the gradients down before each step when their total 2-norm is larger than this", v => v <= 0 ? "must be greater than 0" : null);

    public IEnumerable<Option> All => [Tokenizer, BlockSize, EvalInterval, EvalIters, Schedule, WarmupSteps, MinLr, Betas, WeightDecayOn, ClipGradNorm];

    /// <summary>--betas as two numbers in [0, 1), or null when not given.</summary>
    public (double, double)? ParseBetas(ParseResult parsed)
    {
        if (parsed.GetValue(Betas) is not { } text) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double beta1) &&
            double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double beta2) && beta1 is >= 0 and < 1 && beta2 is >= 0 and < 1)
        {
            return (beta1, beta2);
        }
        throw new ArgumentException($"{Betas.Name} must be two numbers in [0, 1) such as 0.9,0.99, got '{text}'");
    }

    /// <summary>Refuses the text-only options in a run on images or tables, where they would be ignored.</summary>
    public void RequireText(ParseResult parsed)
    {
        foreach (var option in new Option[] { Tokenizer, BlockSize, EvalInterval, EvalIters, Schedule, WarmupSteps, MinLr })
        {
            if (parsed.GetResult(option) is { Implicit: false }) throw new ArgumentException($"{option.Name} applies to text data (--data FILE.txt)");
        }
    }
}

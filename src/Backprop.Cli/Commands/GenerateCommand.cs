using System.CommandLine;
using System.Diagnostics;
using Backprop.Data;
using Backprop.NN;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop generate</c>: text from a language model, as nanoGPT's sample.py: the prompt, then each drawn token as it
/// comes (the context cropped to the model's block size; a GPT keeps a key/value cache, a recurrent network its state).
/// The text alone goes to standard output; the speed to standard error.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var source = new ModelSource();
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (default: a line break, as nanoGPT's sample.py)", DefaultValueFactory = _ => "\n" };
        var tokens = CheckedOption.Int("--tokens", "How many tokens to generate", 500, v => v < 1 ? "must be at least 1" : null);
        var temperature = CheckedOption.Double("--temperature", "Divides the logits before sampling: below 1 sharper, above 1 flatter", 0.8, v => v <= 0 ? "must be greater than 0" : null);
        var topK = new Option<int?>("--top-k") { Description = "Sample only among the k most likely tokens (1: always the most likely, greedy)" };
        var seed = CheckedOption.Int("--seed", "Seed for sampling", 1337, v => v < 0 ? "must not be negative" : null);
        var data = new Option<string?>("--data") { Description = "For a model file without metadata (with --arch): the text file its vocabulary comes from, as at training" };
        var command = new Command("generate", "Generate text from a language model trained on a text file (a GPT, or an embedding with recurrent layers)") { prompt, tokens, temperature, topK, seed, data };
        source.AddTo(command);
        command.SetAction(parsed =>
        {
            var (model, description) = source.LoadText(parsed, () =>
                TextCorpus.Read(parsed.GetValue(data) ?? throw new ArgumentException($"{source.Model.Name} records no vocabulary; give --data, the text file it was trained on")).Tokenizer);
            var tokenizer = description.Tokenizer!;
            string text = parsed.GetValue(prompt)!;
            if (text.Length == 0) throw new ArgumentException("--prompt must not be empty (the model needs a token to start from)");
            int[] context;
            try
            {
                context = tokenizer.Encode(text);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--prompt: {e.Message}");
            }
            if (parsed.GetValue(topK) is { } k && (k < 1 || k > description.Outputs))
            {
                throw new ArgumentException($"--top-k must be between 1 and the model's {description.Outputs} tokens, got {k}");
            }

            var output = parsed.InvocationConfiguration.Output;
            var decoder = new TextDecoder(tokenizer);
            output.Write(text);
            var clock = Stopwatch.StartNew();
            int count = 0;
            foreach (int token in new TextGenerator(model, description.BlockSize).Generate(context, parsed.GetValue(tokens), parsed.GetValue(temperature), parsed.GetValue(topK),
                         new Generator((ulong)parsed.GetValue(seed))))
            {
                output.Write(decoder.Push(token));
                output.Flush();
                count++;
            }
            output.WriteLine(decoder.Flush());
            parsed.InvocationConfiguration.Error.WriteLine($"{count} tokens in {clock.Elapsed.TotalSeconds:F2} s ({count / clock.Elapsed.TotalSeconds:N0} tokens/s)");
            return 0;
        });
        return command;
    }
}

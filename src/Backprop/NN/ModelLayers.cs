namespace Backprop.NN;

/// <summary>
/// Whole models the architecture text can name, under the names and signatures of the code PyTorch users know them from:
/// <c>GPT(vocab_size, block_size, n_layer, n_head, n_embd, dropout=0.0, bias=True)</c> is nanoGPT's <c>GPTConfig</c>. Alone
/// in an architecture, a model is built unwrapped (<see cref="LayerDefinition.IsModel"/>), so its state dict has nanoGPT's keys.
/// </summary>
internal static class ModelLayers
{
    public static IEnumerable<LayerDefinition> Definitions =>
    [
        new("GPT",
            [new("vocab_size"), new("block_size"), new("n_layer"), new("n_head"), new("n_embd"), new("dropout", ArgumentValue.Float(0)),
             new("bias", ArgumentValue.Bool(true))],
            (a, g) =>
            {
                var (vocab, block, layers, heads, embd) = Sizes(a);
                return new GPT(vocab, block, layers, heads, embd, Dropout(a), a.Bool("bias"), generator: g);
            },
            (a, input) =>
            {
                var (vocab, block, _, _, _) = Sizes(a);
                // One example is a sequence of token indices [T]; the model reads at most block_size of them.
                if (input.Length != 1) throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", "it reads sequences of token indices [T]");
                if (input[0] > block) throw new LayerInputException($"sequences of {input[0]} tokens", $"its block_size is {block}");
                return [input[0], vocab];
            },
            State)
        {
            IsModel = true,
            Ties = [("lm_head.weight", "transformer.wte.weight")],
        },
    ];

    /// <summary>The sizes, each at least 1, with n_embd divisible by n_head (each head takes an equal share of the width).</summary>
    private static (int Vocab, int Block, int Layers, int Heads, int Embd) Sizes(LayerArguments a)
    {
        int vocab = a.Int("vocab_size", 1), block = a.Int("block_size", 1), layers = a.Int("n_layer", 1), heads = a.Int("n_head", 1), embd = a.Int("n_embd", 1);
        if (embd % heads != 0) throw a.Problem("n_embd", $"{embd} must be divisible by n_head {heads}");
        return (vocab, block, layers, heads, embd);
    }

    private static double Dropout(LayerArguments a)
    {
        double p = a.Float("dropout");
        return p is >= 0 and < 1 ? p : throw a.Problem("dropout", $"must be in [0, 1), got {p}");
    }

    /// <summary>nanoGPT's state dict in its order: the embeddings, each block's ln_1, attn, ln_2, mlp, then ln_f and the tied head.</summary>
    private static (string Name, int[] Shape)[] State(LayerArguments a)
    {
        var (vocab, block, layers, _, embd) = Sizes(a);
        bool bias = a.Bool("bias");
        var state = new List<(string, int[])> { ("transformer.wte.weight", [vocab, embd]), ("transformer.wpe.weight", [block, embd]) };
        void Norm(string name)
        {
            state.Add(($"{name}.weight", [embd]));
            if (bias) state.Add(($"{name}.bias", [embd]));
        }
        void Linear(string name, int inputs, int outputs)
        {
            state.Add(($"{name}.weight", [outputs, inputs]));
            if (bias) state.Add(($"{name}.bias", [outputs]));
        }
        for (int i = 0; i < layers; i++)
        {
            string h = $"transformer.h.{i}";
            Norm($"{h}.ln_1");
            Linear($"{h}.attn.c_attn", embd, 3 * embd);
            Linear($"{h}.attn.c_proj", embd, embd);
            Norm($"{h}.ln_2");
            Linear($"{h}.mlp.c_fc", embd, 4 * embd);
            Linear($"{h}.mlp.c_proj", 4 * embd, embd);
        }
        Norm("transformer.ln_f");
        state.Add(("lm_head.weight", [vocab, embd]));
        return [.. state];
    }
}

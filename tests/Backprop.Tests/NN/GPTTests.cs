using Backprop.NN;
using Backprop.Optim;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.NN;

/// <summary>nanoGPT's model: its module tree and state-dict keys, the tied head, its initialisation, causality and errors.</summary>
public class GPTTests
{
    /// <summary>nanoGPT's state-dict keys and shapes for vocab_size V, block_size T, n_embd C, in torch.save's order.</summary>
    private static List<(string Key, Shape Shape)> NanoGptState(int v, int t, int c, int nLayer, bool bias)
    {
        var state = new List<(string, Shape)> { ("transformer.wte.weight", new Shape(v, c)), ("transformer.wpe.weight", new Shape(t, c)) };
        void Add(string key, Shape shape, bool isBias = false)
        {
            if (!isBias || bias) state.Add((key, shape));
        }
        for (int i = 0; i < nLayer; i++)
        {
            string h = $"transformer.h.{i}.";
            Add(h + "ln_1.weight", new Shape(c));
            Add(h + "ln_1.bias", new Shape(c), isBias: true);
            Add(h + "attn.c_attn.weight", new Shape(3 * c, c));
            Add(h + "attn.c_attn.bias", new Shape(3 * c), isBias: true);
            Add(h + "attn.c_proj.weight", new Shape(c, c));
            Add(h + "attn.c_proj.bias", new Shape(c), isBias: true);
            Add(h + "ln_2.weight", new Shape(c));
            Add(h + "ln_2.bias", new Shape(c), isBias: true);
            Add(h + "mlp.c_fc.weight", new Shape(4 * c, c));
            Add(h + "mlp.c_fc.bias", new Shape(4 * c), isBias: true);
            Add(h + "mlp.c_proj.weight", new Shape(c, 4 * c));
            Add(h + "mlp.c_proj.bias", new Shape(c), isBias: true);
        }
        Add("transformer.ln_f.weight", new Shape(c));
        Add("transformer.ln_f.bias", new Shape(c), isBias: true);
        Add("lm_head.weight", new Shape(v, c));
        return state;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StateDictHasNanoGptsKeysAndShapesWithTheTiedHeadAsItsOwnKey(bool bias)
    {
        var model = new GPT(11, 8, 2, 2, 6, bias: bias, generator: new Generator(1));
        var expected = NanoGptState(11, 8, 6, 2, bias);
        var state = model.StateDict();
        Assert.Equal(expected.Select(e => e.Key), state.Keys);
        Assert.Equal(expected.Select(e => e.Shape), state.Values.Select(t => t.Shape));
        Assert.Same(model.LmHead.Weight, model.Transformer.Wte.Weight);
        Assert.Equal(state["transformer.wte.weight"].ToDoubleArray(), state["lm_head.weight"].ToDoubleArray());

        // named_parameters lists the tied weight once, under its first name, as PyTorch's does.
        Assert.Equal(expected.Select(e => e.Key).Where(k => k != "lm_head.weight"), model.NamedParameters().Select(p => p.Key));
        Assert.Equal(expected.Count - 1, model.Parameters().Count());
        Assert.Single(model.Parameters(), p => ReferenceEquals(p, model.LmHead.Weight));

        // The state dict loads back, both keys into the one tensor.
        var other = new GPT(11, 8, 2, 2, 6, bias: bias, generator: new Generator(2));
        other.LoadStateDict(state);
        Assert.Equal(model.LmHead.Weight.ToDoubleArray(), other.Transformer.Wte.Weight.ToDoubleArray());
        Assert.Equal(state["transformer.h.1.mlp.c_fc.weight"].ToDoubleArray(), other.StateDict()["transformer.h.1.mlp.c_fc.weight"].ToDoubleArray());
        Assert.Equal((11, 8, 2), (model.VocabSize, model.BlockSize, model.NumLayers));
    }

    [Fact]
    public void InitialisationIsNanoGpts()
    {
        // n_layer 4, n_embd 128: c_proj weights are N(0, 0.02/√8); the rest of the matrices N(0, 0.02).
        var model = new GPT(256, 64, 4, 4, 128, generator: new Generator(3));
        var named = model.NamedParameters().ToList();
        double[] Values(Func<string, bool> select) => [.. named.Where(p => select(p.Key)).SelectMany(p => p.Value.ToDoubleArray())];
        static void Normal(double[] values, double std)
        {
            double mean = values.Average();
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            // Over n ≥ 32 768 draws the sample std is within σ/√(2n) ≈ 0.4% of σ per standard error; allow 3%, and the
            // mean within 4 standard errors σ/√n of 0.
            Assert.InRange(sd, 0.97 * std, 1.03 * std);
            Assert.InRange(mean, -4 * std / Math.Sqrt(values.Length), 4 * std / Math.Sqrt(values.Length));
        }
        Normal(Values(k => k == "transformer.wte.weight"), 0.02);
        Normal(Values(k => k.EndsWith("c_attn.weight") || k.EndsWith("c_fc.weight")), 0.02);
        Normal(Values(k => k.EndsWith("c_proj.weight")), 0.02 / Math.Sqrt(8));
        Assert.InRange(Values(k => k == "transformer.wpe.weight").Select(Math.Abs).Max(), 0.04, 0.12); // 8 192 draws of N(0, 0.02)
        Assert.All(Values(k => k.EndsWith(".bias")), v => Assert.Equal(0, v));
        Assert.All(Values(k => k.Contains("ln_") && k.EndsWith(".weight")), v => Assert.Equal(1, v));
    }

    [Fact]
    public void LogitsAtAPositionDependOnlyOnTheTokensUpToIt()
    {
        var model = new GPT(13, 8, 2, 2, 8, dtype: DType.Float64, generator: new Generator(4));
        var tokens = Tensor.FromArray([3L, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], new Shape(2, 6));
        var logits = model.Forward(tokens);
        Assert.Equal(new Shape(2, 6, 13), logits.Shape);
        var changed = Tensor.FromArray([3L, 1, 4, 7, 5, 9, 2, 6, 5, 3, 5, 8], new Shape(2, 6)); // token 3 of the first row
        var after = model.Forward(changed);
        var before = logits.ToDoubleArray();
        var now = after.ToDoubleArray();
        for (int t = 0; t < 6; t++)
        {
            var a = before.AsSpan(t * 13, 13).ToArray();
            var b = now.AsSpan(t * 13, 13).ToArray();
            // Equal up to rounding (the kernels may group a sum differently), where a dependence would show at 1e-3.
            double largest = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
            if (t < 3) Assert.InRange(largest, 0, 1e-12);
            else Assert.InRange(largest, 1e-6, double.PositiveInfinity);
        }
        for (int i = 6 * 13; i < before.Length; i++) Assert.Equal(before[i], now[i], 12); // the other row is untouched
    }

    [Fact]
    public void AttentionWithDropoutStaysCausal()
    {
        // In training with dropout the weights are computed explicitly; the same seed draws the same masks.
        var x = Uniform(new Generator(5), [1, 5, 6]);
        var y = x.ToDoubleArray();
        y[3 * 6 + 2] += 1; // position 3
        Tensor Run(Tensor input) => new CausalSelfAttention(6, 3, dropout: 0.5, dtype: DType.Float64, generator: new Generator(6)).Forward(input);
        var a = Run(x).ToDoubleArray();
        var b = Run(Tensor.FromArray(y, new Shape(1, 5, 6))).ToDoubleArray();
        Assert.Equal(a.AsSpan(0, 18).ToArray(), b.AsSpan(0, 18).ToArray());
        Assert.NotEqual(a.AsSpan(18).ToArray(), b.AsSpan(18).ToArray());
    }

    /// <summary>
    /// The tied weight's gradient is the sum of its two uses': the head's, with the body's output held fixed, and the
    /// embedding's, through an untied body (its own copy of the weight, the other parameters loaded from the model)
    /// under a head whose weight is held fixed. One SGD step then moves it once, by −lr times that sum.
    /// </summary>
    [Fact]
    public void TiedWeightGetsTheSumOfBothGradientsAndIsSteppedOnce()
    {
        var model = new GPT(7, 6, 2, 2, 4, dtype: DType.Float64, generator: new Generator(7));
        var tokens = Tensor.FromArray([0L, 3, 6, 2, 2, 5, 1, 4], new Shape(2, 4));
        var r = Uniform(new Generator(8), [2, 4, 7]);
        var weight = model.LmHead.Weight;
        var initial = weight.ToDoubleArray();
        (model.Forward(tokens) * r).Sum().Backward();
        var tied = weight.Grad!.ToDoubleArray();

        var headCopy = Tensor.FromArray(initial, weight.Shape);
        headCopy.RequiresGrad = true;
        (model.Transformer.Forward(tokens).Detach().Linear(headCopy) * r).Sum().Backward();
        var headPart = headCopy.Grad!.ToDoubleArray();

        var embeddingCopy = Tensor.FromArray(initial, weight.Shape);
        var body = new GPTTransformer(Embedding.FromPretrained(embeddingCopy, freeze: false), 6, 2, 2);
        body.LoadStateDict(model.Transformer.StateDict());
        (body.Forward(tokens).Linear(weight.Detach()) * r).Sum().Backward();
        var embeddingPart = embeddingCopy.Grad!.ToDoubleArray();

        Assert.Contains(headPart, v => v != 0);
        Assert.Contains(embeddingPart, v => v != 0);
        for (int i = 0; i < tied.Length; i++) Assert.Equal(headPart[i] + embeddingPart[i], tied[i], 12);

        new Sgd(model.Parameters(), 0.1).Step();
        var stepped = weight.ToDoubleArray();
        for (int i = 0; i < tied.Length; i++) Assert.Equal(initial[i] - 0.1 * tied[i], stepped[i], 12);
    }

    [Fact]
    public void BadConfigurationsAndInputsAreOneLineErrors()
    {
        static void OneLine(string expected, Action act)
        {
            var error = Assert.Throws<ArgumentException>(act);
            Assert.Equal(expected, error.Message);
        }
        OneLine("GPT: n_embd 10 must be divisible by n_head 4", () => _ = new GPT(5, 4, 1, 4, 10));
        OneLine("CausalSelfAttention: n_embd 10 must be divisible by n_head 4", () => _ = new CausalSelfAttention(10, 4));
        var model = new GPT(5, 4, 1, 2, 4);
        OneLine("GPT: cannot forward a sequence of length 5, block_size is only 4", () => model.Forward(Tensor.FromArray([0L, 1, 2, 3, 4], new Shape(1, 5))));
        OneLine("GPT: input must be int64 token indices [B, T], got Float32 of shape [1,3]", () => model.Forward(Tensor.Zeros(new Shape(1, 3))));
        OneLine("GPT: block_size and n_layer must be at least 1, got block_size 4 and n_layer 0", () => _ = new GPT(5, 4, 0, 2, 4));
    }
}

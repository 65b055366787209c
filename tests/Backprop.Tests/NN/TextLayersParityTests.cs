using System.Text.Json;
using Backprop.Losses;
using Backprop.NN;
using Xunit.Abstractions;

namespace Backprop.Tests.NN;

/// <summary>
/// The text and sequence layers against PyTorch: each case of Fixtures/PyTorch/text-layers.json (written by
/// scripts/make-pytorch-text-fixtures.py with PyTorch 1.13; its docstring says how to regenerate it) is built from
/// PyTorch's constructor arguments, loaded with PyTorch's state dict by its keys, and run on the same input: the output,
/// the input's gradient and every parameter's gradient (of sum(y·g), plus the final state's products for a recurrent
/// layer) must be PyTorch's. Cross-entropy over [B, T, V] with ignore_index and nanoGPT's GPT (bias on and off) likewise.
/// </summary>
public class TextLayersParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// |actual − expected| ≤ 1e-5, absolute, for every value (the largest are a few units: GELU of 10, gradients up to
    /// about 2.5), as the issue asks. Float32 on both sides, summed in different orders; the largest difference measured
    /// is 4.5e-7 (an RNN's weight_hh_l1 gradient), then 3.6e-7 (MultiheadAttention's in_proj_weight gradient); each case
    /// prints its own.
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = PyTorchFixture.Load("text-layers.json");

    public static TheoryData<string> Cases() => [.. PyTorchFixture.Names(Fixture.GetProperty("cases"))];

    public static TheoryData<string> CrossEntropyCases() => [.. PyTorchFixture.Names(Fixture.GetProperty("cross_entropy"))];

    public static TheoryData<string> GptCases() => [.. PyTorchFixture.Names(Fixture.GetProperty("gpt"))];

    [Fact]
    public void EveryLayerKindIsCovered() =>
        Assert.Equal(["Embedding", "GELU", "GRU", "LSTM", "LayerNorm", "MultiheadAttention", "RNN"],
            Fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("layer").GetString()).Distinct().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void LayerMatchesPyTorch(string name)
    {
        var fixture = PyTorchFixture.Named(Fixture.GetProperty("cases"), name);
        var layer = Build(fixture.GetProperty("layer").GetString()!, fixture.GetProperty("args"));
        var state = PyTorchFixture.StateDict(fixture.GetProperty("state"));
        Assert.Equal(state.Keys, layer.StateDict().Keys); // PyTorch's names, in PyTorch's order
        layer.LoadStateDict(state);

        var x = PyTorchFixture.Tensor(fixture.GetProperty("x"));
        bool differentiableInput = x.DType != DType.Int64;
        x.RequiresGrad = differentiableInput;
        var g = PyTorchFixture.Tensor(fixture.GetProperty("g"));
        var worst = new FixtureDifference(Tolerance, absolute: true);
        Tensor y;
        Tensor[] initial = [];
        if (layer is RecurrentLayer recurrent)
        {
            if (fixture.TryGetProperty("state0", out var state0))
            {
                initial = [.. state0.EnumerateArray().Select(PyTorchFixture.Tensor)];
                foreach (var s in initial) s.RequiresGrad = true;
            }
            var (sequence, final) = recurrent.ForwardWithState(x, initial.Length > 0 ? initial : null);
            y = sequence;
            var finalExpected = fixture.GetProperty("final_state").EnumerateArray().Select(PyTorchFixture.Tensor).ToArray();
            var finalGradients = fixture.GetProperty("state_g").EnumerateArray().Select(PyTorchFixture.Tensor).ToArray();
            Assert.Equal(finalExpected.Length, final.Length);
            var loss = (y * g).Sum();
            for (int i = 0; i < final.Length; i++)
            {
                worst.Compare($"final state {i}", final[i], finalExpected[i]);
                loss += (final[i] * finalGradients[i]).Sum();
            }
            loss.Backward();
        }
        else
        {
            y = layer is MultiheadAttention attention && fixture.GetProperty("causal").GetBoolean()
                ? attention.Forward(x, x, x, isCausal: true)
                : layer.Forward(x);
            y.Backward(g);
        }

        worst.Compare("y", y, PyTorchFixture.Tensor(fixture.GetProperty("y")));
        if (differentiableInput) worst.Compare("dx", x.Grad!, PyTorchFixture.Tensor(fixture.GetProperty("dx")));
        if (fixture.TryGetProperty("dstate0", out var dstate0))
        {
            var expected = dstate0.EnumerateArray().Select(PyTorchFixture.Tensor).ToArray();
            for (int i = 0; i < initial.Length; i++) worst.Compare($"initial state {i}.grad", initial[i].Grad!, expected[i]);
        }
        CompareGradients(layer, fixture.GetProperty("parameter_gradients"), worst);
        output.WriteLine($"{name}: {worst}");
        worst.AssertPassed();
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropyOverSequencesMatchesPyTorch(string name)
    {
        var fixture = PyTorchFixture.Named(Fixture.GetProperty("cross_entropy"), name);
        var logits = PyTorchFixture.Tensor(fixture.GetProperty("logits"));
        logits.RequiresGrad = true;
        var loss = Loss.CrossEntropy(logits, PyTorchFixture.Tensor(fixture.GetProperty("targets")), fixture.GetProperty("ignore_index").GetInt32());
        loss.Backward();

        var worst = new FixtureDifference(Tolerance, absolute: true);
        worst.Compare("loss", loss.Item(), fixture.GetProperty("loss").GetSingle());
        worst.Compare("dlogits", logits.Grad!, PyTorchFixture.Tensor(fixture.GetProperty("dlogits")));
        output.WriteLine($"{name}: {worst}");
        worst.AssertPassed();
    }

    [Theory]
    [MemberData(nameof(GptCases))]
    public void GptMatchesNanoGpt(string name)
    {
        var fixture = PyTorchFixture.Named(Fixture.GetProperty("gpt"), name);
        var model = Gpt(fixture.GetProperty("config"));
        var state = PyTorchFixture.StateDict(fixture.GetProperty("state"));
        Assert.Equal(state.Keys, model.StateDict().Keys); // nanoGPT's keys and order, lm_head.weight included
        model.LoadStateDict(state);

        var logits = model.Forward(PyTorchFixture.Tensor(fixture.GetProperty("idx")));
        var loss = Loss.CrossEntropy(logits, PyTorchFixture.Tensor(fixture.GetProperty("targets")));
        loss.Backward();

        var worst = new FixtureDifference(Tolerance, absolute: true);
        worst.Compare("logits", logits, PyTorchFixture.Tensor(fixture.GetProperty("logits")));
        worst.Compare("loss", loss.Item(), fixture.GetProperty("loss").GetSingle());
        CompareGradients(model, fixture.GetProperty("gradients"), worst); // the tied weight: the sum of both uses' gradients
        output.WriteLine($"{name}: {worst}");
        worst.AssertPassed();
    }

    /// <summary>nanoGPT's GPT of a fixture's "config".</summary>
    internal static GPT Gpt(JsonElement config) =>
        new(config.GetProperty("vocab_size").GetInt32(), config.GetProperty("block_size").GetInt32(), config.GetProperty("n_layer").GetInt32(),
            config.GetProperty("n_head").GetInt32(), config.GetProperty("n_embd").GetInt32(), config.GetProperty("dropout").GetDouble(),
            config.GetProperty("bias").GetBoolean());

    /// <summary>Every parameter's gradient against PyTorch's, by name, the names and their order PyTorch's named_parameters().</summary>
    private static void CompareGradients(Module module, JsonElement gradients, FixtureDifference worst)
    {
        Assert.Equal(gradients.EnumerateObject().Select(p => p.Name), module.NamedParameters().Select(p => p.Key));
        foreach (var (name, p) in module.NamedParameters()) worst.Compare($"{name}.grad", p.Grad!, PyTorchFixture.Tensor(gradients.GetProperty(name)));
    }

    /// <summary>The layer PyTorch's constructor arguments describe (PyTorch's defaults for those not given).</summary>
    private static Module Build(string layer, JsonElement args)
    {
        bool Has(string name) => args.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
        int Int(string name) => args.GetProperty(name).GetInt32();
        bool Flag(string name, bool otherwise) => Has(name) ? args.GetProperty(name).GetBoolean() : otherwise;
        int Layers() => Has("num_layers") ? Int("num_layers") : 1;
        return layer switch
        {
            "Embedding" => new Embedding(Int("num_embeddings"), Int("embedding_dim"), Has("padding_idx") ? Int("padding_idx") : null),
            "LayerNorm" => new LayerNorm([.. args.GetProperty("normalized_shape").EnumerateArray().Select(d => d.GetInt32())],
                Has("eps") ? args.GetProperty("eps").GetDouble() : 1e-5, Flag("elementwise_affine", true), Flag("bias", true)),
            "GELU" => new GELU(Has("approximate") ? args.GetProperty("approximate").GetString()! : "none"),
            "MultiheadAttention" => new MultiheadAttention(Int("embed_dim"), Int("num_heads"), Flag("bias", true), Flag("batch_first", false)),
            "RNN" => new RNN(Int("input_size"), Int("hidden_size"), Layers(), Has("nonlinearity") ? args.GetProperty("nonlinearity").GetString()! : "tanh",
                Flag("bias", true), Flag("batch_first", false)),
            "LSTM" => new LSTM(Int("input_size"), Int("hidden_size"), Layers(), Flag("bias", true), Flag("batch_first", false)),
            "GRU" => new GRU(Int("input_size"), Int("hidden_size"), Layers(), Flag("bias", true), Flag("batch_first", false)),
            _ => throw new ArgumentException($"no Backprop layer for PyTorch's {layer}"),
        };
    }
}

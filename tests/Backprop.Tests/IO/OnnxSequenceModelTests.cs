using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>
/// Sequence models exported: a GPT and embedding + recurrent or attention networks run in ONNX Runtime on random tokens
/// at batch 1 and 2, at length 1, the traced length (block_size) and one between, within 1e-4 of Backprop's logits in
/// evaluation mode; the files' inputs, tied head and ops; what is still refused.
/// </summary>
public class OnnxSequenceModelTests
{
    private const int Vocab = 11, Block = 8;

    /// <summary>
    /// A 2-layer GPT (n_embd 8 in 2 heads) whose every parameter is redrawn from N(0, 0.5) by a seeded generator: nanoGPT's
    /// N(0, 0.02) would leave the attention nearly uniform, the LayerNorms' affine parts at 1 and 0, and the logits near 0,
    /// where a wrong mask or gate would hide within the tolerance.
    /// </summary>
    private static GPT Gpt(bool bias)
    {
        var generator = new Generator(31);
        var model = new GPT(Vocab, Block, nLayer: 2, nHead: 2, nEmbd: 8, bias: bias, generator: generator);
        foreach (var p in model.Parameters()) Init.Normal(p, 0, 0.5, generator);
        return model;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AGptGivesBackpropsLogits(bool bias)
    {
        var model = Gpt(bias);
        OnnxRuntimeAssert.SameOutputsOnTokens(OnnxExport.ToBytes(model), model, Vocab, [1, 2], [1, 5, Block]);
    }

    [Fact]
    public void AGptTakesInt64TokensOfAnyLengthAndWritesItsTiedHeadOnce()
    {
        var model = OnnxExport.ToModel(Gpt(bias: true));
        Assert.Equal((int)Backprop.IO.Onnx.Proto.TensorProto.Types.DataType.Int64, model.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(["batch", "sequence"], Dims(model.Graph.Input[0]));
        Assert.Equal(["batch", "sequence", $"{Vocab}"], Dims(model.Graph.Output[0]));
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToList();
        Assert.Single(initializers, n => n == "transformer.wte.weight");
        Assert.DoesNotContain("lm_head.weight", initializers);
        Assert.Contains("transformer.h.1.attn.c_attn.weight", initializers);
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();
        Assert.Single(ops, op => op == "Gather"); // the token rows; the position rows are a Slice
        Assert.Equal(5, ops.Count(op => op == "LayerNormalization")); // ln_1 and ln_2 per block, ln_f
        Assert.Equal(2, ops.Count(op => op == "Softmax"));
        Assert.Equal(2, ops.Count(op => op == "Erf"));
        Assert.Single(ops, op => op == "Trilu"); // one causal mask for every block
    }

    public static TheoryData<string> Networks() => [.. NetworkCases.Keys];

    private static readonly Dictionary<string, Func<Generator, Sequential>> NetworkCases = new()
    {
        ["LSTM, 2 layers, batch first"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new LSTM(6, 5, numLayers: 2, batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["LSTM, 2 layers, time first"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new LSTM(6, 5, numLayers: 2, generator: g), new Linear(5, Vocab, generator: g)),
        ["LSTM without bias"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new LSTM(6, 5, bias: false, batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["GRU, batch first"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new GRU(6, 5, batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["GRU, 2 layers, time first"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new GRU(6, 5, numLayers: 2, generator: g), new Linear(5, Vocab, generator: g)),
        ["GRU without bias"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new GRU(6, 5, bias: false, batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["RNN tanh, 2 layers"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new RNN(6, 5, numLayers: 2, batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["RNN relu"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new RNN(6, 5, nonlinearity: "relu", batchFirst: true, generator: g), new Linear(5, Vocab, generator: g)),
        ["self-attention, batch first, LayerNorm"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new MultiheadAttention(6, 2, batchFirst: true, generator: g),
            new LayerNorm([6]), new GELU(), new Linear(6, Vocab, generator: g)),
        ["self-attention, time first, no bias"] = g => new Sequential(new Embedding(Vocab, 6, generator: g), new MultiheadAttention(6, 3, bias: false, generator: g),
            new LayerNorm([6], elementwiseAffine: false), new Linear(6, Vocab, generator: g)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void AnEmbeddingNetworkGivesBackpropsLogits(string name)
    {
        var model = NetworkCases[name](new Generator(41));
        foreach (var p in model.Parameters().Where(p => p.Rank == 1)) Init.Normal(p, 0, 0.5, new Generator(43)); // biases and LayerNorm away from 0 and 1
        var exported = OnnxExport.ToModel(model, [Block]);
        Assert.Equal(["batch", "sequence"], Dims(exported.Graph.Input[0]));
        Assert.Equal(["batch", "sequence", $"{Vocab}"], Dims(exported.Graph.Output[0]));
        OnnxRuntimeAssert.SameOutputsOnTokens(OnnxExport.ToBytes(model, [Block]), model, Vocab, [1, 2], [1, 5, Block]);
    }

    [Fact]
    public void RecurrentGatesAreReorderedIntoOnnxsOrder()
    {
        var lstm = new LSTM(1, 1);
        var gru = new GRU(1, 1);
        // PyTorch's rows i, f, g, o hold 0, 1, 2, 3 here; ONNX wants i, o, f, c.
        lstm.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight_ih_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2, 3 }, new Shape(4, 1)), ["weight_hh_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2, 3 }, new Shape(4, 1)),
            ["bias_ih_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2, 3 }), ["bias_hh_l0"] = Tensor.FromArray(new float[] { 10f, 11, 12, 13 }),
        });
        gru.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight_ih_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2 }, new Shape(3, 1)), ["weight_hh_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2 }, new Shape(3, 1)),
            ["bias_ih_l0"] = Tensor.FromArray(new float[] { 0f, 1, 2 }), ["bias_hh_l0"] = Tensor.FromArray(new float[] { 10f, 11, 12 }),
        });
        var model = OnnxExport.ToModel(new Sequential(lstm, gru), [3, 1]);
        float[] Values(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(model.Graph.Initializer.Single(t => t.Name == name).RawData.Span).ToArray();
        Assert.Equal([0f, 3, 1, 2], Values("lstm_0_l0_W"));
        Assert.Equal([0f, 3, 1, 2, 10, 13, 11, 12], Values("lstm_0_l0_B"));
        Assert.Equal([1f, 0, 2], Values("gru_1_l0_R")); // r, z, n → z, r, h
        Assert.Equal([1f, 0, 2, 11, 10, 12], Values("gru_1_l0_B"));
        Assert.Equal(1, model.Graph.Node.Single(n => n.OpType == "GRU").Attribute.Single(a => a.Name == "linear_before_reset").I);
    }

    [Fact]
    public void ARecurrentNetworkOnFloatSequencesRunsToo()
    {
        var generator = new Generator(51);
        OnnxRuntimeAssert.SameOutputs(new Sequential(new LSTM(4, 6, numLayers: 2, batchFirst: true, generator: generator), new Linear(6, 3, generator: generator)), [7, 4]);
        OnnxRuntimeAssert.SameOutputs(new Sequential(new GRU(4, 6, generator: generator), new Tanh(), new Linear(6, 3, generator: generator)), [7, 4]);
    }

    [Fact]
    public void ASequenceFlattenedIntoALinearLayerKeepsItsLengthFixed()
    {
        var generator = new Generator(61);
        var model = new Sequential(new Embedding(Vocab, 3, generator: generator), new GRU(3, 4, batchFirst: true, generator: generator), new Flatten(), new Linear(4 * Block, 2, generator: generator));
        var exported = OnnxExport.ToModel(model, [Block]);
        Assert.Equal(["batch", $"{Block}"], Dims(exported.Graph.Input[0]));
        Assert.Equal(["batch", "2"], Dims(exported.Graph.Output[0]));
        OnnxRuntimeAssert.SameOutputsOnTokens(OnnxExport.ToBytes(model, [Block]), model, Vocab, [1, 2], [Block]);
    }

    [Fact]
    public void WhatIsNotSupportedIsRefusedInOneLine()
    {
        Assert.Equal("onnx export: layer 0 (LSTM) gets examples of shape [4]; export needs sequences [L, 4] per example",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new LSTM(4, 6)), [4])).Message);
        Assert.Equal("onnx export: layer 0 (MultiheadAttention) gets examples of shape [4]; export needs sequences [L, 4] per example",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new MultiheadAttention(4, 2)), [4])).Message);
        Assert.Equal("onnx export: layer 1 (Embedding) does not take input of shape [3] per example: embedding: indices must be int64, got Float32",
            Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(new Sequential(new Tanh(), new Embedding(4, 2)), [3])).Message);
    }

    private static string[] Dims(Backprop.IO.Onnx.Proto.ValueInfoProto value) =>
        [.. value.Type.TensorType.Shape.Dim.Select(d => d.DimParam is "" ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam)];
}

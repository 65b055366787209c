using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>RNN, LSTM and GRU: one step by hand in PyTorch's gate orders, names, shapes, initialisation, state and gradients.</summary>
public class RecurrentLayerTests
{
    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Sets a one-layer, one-feature, one-unit layer's weights: W_ih, W_hh, b_ih, b_hh, one value per gate in PyTorch's order.</summary>
    private static void SetWeights(RecurrentLayer layer, double[] inputWeight, double[] hiddenWeight, double[] inputBias, double[] hiddenBias) =>
        layer.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight_ih_l0"] = Tensor.FromArray(inputWeight, new Shape(inputWeight.Length, 1)),
            ["weight_hh_l0"] = Tensor.FromArray(hiddenWeight, new Shape(hiddenWeight.Length, 1)),
            ["bias_ih_l0"] = Tensor.FromArray(inputBias),
            ["bias_hh_l0"] = Tensor.FromArray(hiddenBias),
        });

    private static Tensor Sequence(params double[] values) => Tensor.FromArray(values, new Shape(values.Length, 1, 1));

    private static Tensor State(double value) => Tensor.FromArray([value], new Shape(1, 1, 1));

    /// <summary>
    /// x = 2, h₀ = 0.5, W_ih = 0.1, W_hh = 0.5, b_ih = 0.01, b_hh = −0.1: z₁ = 0.2 + 0.01 + 0.25 − 0.1 = 0.36, h₁ = tanh(0.36);
    /// then x = 1: z₂ = 0.1 + 0.01 + 0.5·h₁ − 0.1. With relu and W_ih = −1, z₁ = −2 + 0.01 + 0.25 − 0.1 = −1.84 gives 0.
    /// </summary>
    [Fact]
    public void AnRnnStepIsTheActivationOfBothProducts()
    {
        var rnn = new RNN(1, 1, dtype: DType.Float64);
        SetWeights(rnn, [0.1], [0.5], [0.01], [-0.1]);
        var (output, state) = rnn.ForwardWithState(Sequence(2, 1), [State(0.5)]);
        double h1 = Math.Tanh(0.36), h2 = Math.Tanh(0.01 + 0.5 * h1);
        Close([h1, h2], output.ToDoubleArray());
        Close([h2], state.Single().ToDoubleArray());

        var relu = new RNN(1, 1, nonlinearity: "relu", dtype: DType.Float64);
        SetWeights(relu, [-1], [0.5], [0.01], [-0.1]);
        Assert.Equal([0.0], relu.ForwardWithState(Sequence(2), [State(0.5)]).Output.ToDoubleArray());
        Assert.Equal("RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'", Assert.Throws<ArgumentException>(() => new RNN(1, 1, nonlinearity: "sigmoid")).Message);
    }

    /// <summary>
    /// Gates i, f, g, o with W_ih = [0.1, 0.2, 0.3, 0.4], W_hh = [0.5, 0.6, 0.7, 0.8], b_ih = [0.01, 0.02, 0.03, 0.04],
    /// b_hh = [−0.1, −0.2, −0.3, −0.4], x = 2, h₀ = 0.5, c₀ = −1: a = 2·W_ih + b_ih + 0.5·W_hh + b_hh = [0.36, 0.52, 0.68, 0.84];
    /// c₁ = σ(0.52)·(−1) + σ(0.36)·tanh(0.68), h₁ = σ(0.84)·tanh(c₁). Every gate's pre-activation differs, so another order gives other numbers.
    /// </summary>
    [Fact]
    public void AnLstmStepFollowsPyTorchsGateOrder()
    {
        var lstm = new LSTM(1, 1, dtype: DType.Float64);
        SetWeights(lstm, [0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.01, 0.02, 0.03, 0.04], [-0.1, -0.2, -0.3, -0.4]);
        var (output, state) = lstm.ForwardWithState(Sequence(2), [State(0.5), State(-1)]);
        double c1 = -Sigmoid(0.52) + Sigmoid(0.36) * Math.Tanh(0.68), h1 = Sigmoid(0.84) * Math.Tanh(c1);
        Close([h1], output.ToDoubleArray());
        Close([h1], state[0].ToDoubleArray());
        Close([c1], state[1].ToDoubleArray());
    }

    /// <summary>
    /// Gates r, z, n with W_ih = [0.1, 0.2, 0.3], W_hh = [0.5, 0.6, 0.7], b_ih = [0.01, 0.02, 0.03], b_hh = [−0.1, −0.2, −0.3],
    /// x = 2, h₀ = 0.5: r = σ(0.2 + 0.01 + 0.25 − 0.1) = σ(0.36), z = σ(0.52), n = tanh(0.6 + 0.03 + r·(0.35 − 0.3)) (b_hn inside
    /// the reset product), h₁ = (1 − z)·n + z·0.5.
    /// </summary>
    [Fact]
    public void AGruStepFollowsPyTorchsGateOrderWithTheHiddenBiasInsideTheReset()
    {
        var gru = new GRU(1, 1, dtype: DType.Float64);
        SetWeights(gru, [0.1, 0.2, 0.3], [0.5, 0.6, 0.7], [0.01, 0.02, 0.03], [-0.1, -0.2, -0.3]);
        var (output, state) = gru.ForwardWithState(Sequence(2), [State(0.5)]);
        double r = Sigmoid(0.36), z = Sigmoid(0.52), n = Math.Tanh(0.63 + r * 0.05), h1 = (1 - z) * n + z * 0.5;
        Close([h1], output.ToDoubleArray());
        Close([h1], state.Single().ToDoubleArray());
    }

    [Fact]
    public void ParametersHavePyTorchsNamesShapesAndBounds()
    {
        var lstm = new LSTM(3, 5, numLayers: 2, generator: new Generator(1));
        var expected = new (string, Shape)[]
        {
            ("weight_ih_l0", new Shape(20, 3)), ("weight_hh_l0", new Shape(20, 5)), ("bias_ih_l0", new Shape(20)), ("bias_hh_l0", new Shape(20)),
            ("weight_ih_l1", new Shape(20, 5)), ("weight_hh_l1", new Shape(20, 5)), ("bias_ih_l1", new Shape(20)), ("bias_hh_l1", new Shape(20)),
        };
        Assert.Equal(expected, lstm.NamedParameters().Select(p => (p.Key, p.Value.Shape)));
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "weight_ih_l1", "weight_hh_l1"], new GRU(3, 5, 2, bias: false).StateDict().Keys);
        Assert.Equal(new Shape(5, 3), new RNN(3, 5).StateDict()["weight_ih_l0"].Shape);

        // U(−1/√H, 1/√H) with H = 16: within ±0.25, and 3·16·(16 + 4) + 2·48 draws reach close to both ends.
        var values = new GRU(4, 16, generator: new Generator(2)).Parameters().SelectMany(p => p.ToDoubleArray()).ToArray();
        Assert.All(values, v => Assert.InRange(v, -0.25, 0.25));
        Assert.True(values.Min() < -0.24 && values.Max() > 0.24);
        Assert.Equal("LSTM: input_size, hidden_size and num_layers must be at least 1, got 3, 0 and 1", Assert.Throws<ArgumentException>(() => new LSTM(3, 0)).Message);
    }

    [Fact]
    public void BatchFirstOnlyTransposesAndTheStateCarriesOver()
    {
        var sequenceFirst = new GRU(3, 4, numLayers: 2, dtype: DType.Float64, generator: new Generator(3));
        var batchFirst = new GRU(3, 4, numLayers: 2, batchFirst: true, dtype: DType.Float64);
        batchFirst.LoadStateDict(sequenceFirst.StateDict());
        var x = Tensor.Randn([2, 5, 3], new Generator(4), DType.Float64); // [N, L, features]
        var (expected, expectedState) = sequenceFirst.ForwardWithState(x.Transpose(0, 1));
        var (output, state) = batchFirst.ForwardWithState(x);
        Assert.Equal(new Shape(2, 5, 4), output.Shape);
        Close(expected.Transpose(0, 1).ToDoubleArray(), output.ToDoubleArray());
        Assert.Equal(new Shape(2, 2, 4), state.Single().Shape); // [num_layers, N, H] either way
        Close(expectedState.Single().ToDoubleArray(), state.Single().ToDoubleArray());

        // The first three steps, then the last two from their final state, give the whole run: what generation relies on.
        var lstm = new LSTM(3, 4, numLayers: 2, batchFirst: true, dtype: DType.Float64, generator: new Generator(5));
        var (whole, wholeState) = lstm.ForwardWithState(x);
        var (start, middle) = lstm.ForwardWithState(x.Slice(1, 0, 3));
        var (end, last) = lstm.ForwardWithState(x.Slice(1, 3, 5), middle);
        Close(whole.ToDoubleArray(), Shaping.Cat([start, end], 1).ToDoubleArray());
        Close(wholeState[1].ToDoubleArray(), last[1].ToDoubleArray());

        // One unbatched sequence [L, features] gives [L, H] and a state [num_layers, H].
        var (single, singleState) = lstm.ForwardWithState(x.Slice(0, 0, 1).Squeeze(0));
        Close(whole.Slice(0, 0, 1).ToDoubleArray(), single.ToDoubleArray());
        Assert.Equal(new Shape(2, 4), singleState[0].Shape);
        Assert.Equal("LSTM: the state must be 2 tensor(s) of shape [2,2,4], got 1 of shape [2,2,4]",
            Assert.Throws<ArgumentException>(() => lstm.ForwardWithState(x, [middle[0]])).Message);
    }

    /// <summary>Two steps from a zero state: weight_hh only matters in the second, so its gradient is the recurrence's.</summary>
    [Fact]
    public void GradientsReachTheHiddenWeightsThroughTwoSteps()
    {
        foreach (RecurrentLayer layer in new RecurrentLayer[] { new LSTM(2, 2, dtype: DType.Float64, generator: new Generator(6)), new GRU(2, 2, dtype: DType.Float64, generator: new Generator(7)) })
        {
            var x = Tensor.Randn([2, 1, 2], new Generator(8), DType.Float64);
            x.RequiresGrad = true;
            var result = GradCheck.Check(_ => layer.Forward(x), [x, .. layer.Parameters()]);
            Assert.True(result.Passed, result.Message);
            layer.Forward(x).Sum().Backward();
            var hiddenWeight = layer.NamedParameters().Single(p => p.Key == "weight_hh_l0").Value;
            Assert.Contains(hiddenWeight.Grad!.ToDoubleArray(), g => Math.Abs(g) > 1e-6);
        }
    }

    [Theory]
    [InlineData("nn.LSTM(16, 32, batch_first=True)", "LSTM(16, 32, batch_first=True)")]
    [InlineData("RNN(input_size=3, hidden_size=5, num_layers=2, nonlinearity='relu', dropout=0.25)", "RNN(3, 5, num_layers=2, nonlinearity='relu', dropout=0.25)")]
    [InlineData("GRU(3, 5, bias=False)", "GRU(3, 5, bias=False)")]
    public void TheTextRoundTrips(string text, string canonical)
    {
        Assert.Equal(canonical, Architecture.Parse(text).ToString());
        Assert.Equal(canonical, Architecture.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("LSTM(3, 5, bidirectional=True)", "architecture: LSTM(3, 5, bidirectional=True): bidirectional True is not supported (only False)")]
    [InlineData("LSTM(3, 5, proj_size=2)", "architecture: LSTM(3, 5, proj_size=2): proj_size 2 is not supported (only 0)")]
    [InlineData("GRU(3, 5, dropout=1.0)", "architecture: GRU(3, 5, dropout=1.0): dropout must be in [0, 1), got 1")]
    [InlineData("RNN(3, 5, nonlinearity='gelu')", "architecture: RNN(3, 5, nonlinearity='gelu'): nonlinearity must be one of 'tanh', 'relu', got 'gelu'")]
    public void WhatARecurrentLayerCannotBeIsRefused(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).Build()).Message);

    /// <summary>Token batches [N, L] become [N, L, E], so the LSTM reads them batch first; the shape rules see [L] → [L, E] → [L, H] → [L, V].</summary>
    [Fact]
    public void AnEmbeddingLstmLinearNetworkRunsOnTokens()
    {
        var architecture = Architecture.Parse("Embedding(10, 4), LSTM(4, 6, num_layers=2, batch_first=True, dropout=0.1), Linear(6, 10)");
        Assert.Equal([7, 10], architecture.OutputShape([7]));
        var e = Assert.Throws<ArgumentException>(() => Architecture.Parse("LSTM(4, 6)").OutputShape([7, 5]));
        Assert.Equal("architecture: LSTM(4, 6) gets examples of shape [7, 5] from the input [7, 5]: it reads sequences [L, 4]", e.Message);
        var model = architecture.Build(new Generator(9));
        var tokens = Tensor.FromArray([1L, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4], new Shape(2, 7));
        var logits = model.Forward(tokens);
        Assert.Equal(new Shape(2, 7, 10), logits.Shape);
        logits.Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        // Evaluation mode drops nothing, so two runs agree.
        model.Eval();
        Assert.Equal(model.Forward(tokens).ToDoubleArray(), model.Forward(tokens).ToDoubleArray());
        // ONNX export takes sequences (tests/IO/OnnxSequenceModelTests runs them); one vector per example is refused by name.
        Assert.StartsWith("onnx export: layer 0 (LSTM) gets examples of shape [4]; export needs sequences [L, 4]",
            Assert.Throws<ArgumentException>(() => Backprop.IO.OnnxExport.ToBytes(new Sequential(new LSTM(4, 6)), [4])).Message);
    }
}

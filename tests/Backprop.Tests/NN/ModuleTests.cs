using Backprop.NN;

namespace Backprop.Tests.NN;

public class ModuleTests
{
    [Fact]
    public void SequentialNamesParametersAsPyTorch()
    {
        var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2), new Dropout(0.1), new Linear(2, 1, bias: false));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal(new Shape(3, 4), model.StateDict()["0.weight"].Shape); // Linear.weight is [out, in]
        Assert.Equal(5, model.Parameters().Count());
    }

    [Fact]
    public void LinearComputesXWTransposePlusBias()
    {
        // Its initial values are InitTests' subject.
        var layer = new Linear(3, 2, dtype: DType.Float64, generator: new Generator(4));
        using (new Backprop.Autograd.NoGrad())
        {
            layer.Weight.CopyInPlace(Tensor.FromArray(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } }));
            layer.Bias!.CopyInPlace(Tensor.FromArray([0.5, -0.5]));
        }
        var y = layer.Forward(Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 0, 1, 0 } }));
        Assert.Equal([1 - 3 + 0.5, 2 + 2 - 0.5, 0.5, 1 - 0.5], y.ToDoubleArray());
    }

    [Fact]
    public void StateDictRoundTripsAndLoadChecksKeysAndShapes()
    {
        var source = new Sequential(new Linear(2, 3, generator: new Generator(1)), new Tanh(), new Linear(3, 1, generator: new Generator(2)));
        var target = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
        target.LoadStateDict(source.StateDict());
        var x = Tensor.FromArray(new float[,] { { 0.3f, -0.7f } });
        Assert.Equal(source.Forward(x).ToFloatArray(), target.Forward(x).ToFloatArray());

        var state = source.StateDict();
        state.Remove("2.bias");
        Assert.Equal("load_state_dict: missing key '2.bias'", Assert.Throws<ArgumentException>(() => target.LoadStateDict(state)).Message);
        var wrong = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
        Assert.Equal("load_state_dict: '0.weight' has shape [4,2] in the state but [3,2] in the model",
            Assert.Throws<ArgumentException>(() => target.LoadStateDict(wrong.StateDict())).Message);
        var extra = source.StateDict();
        extra.Add("3.weight", Tensor.Zeros([1]));
        Assert.StartsWith("load_state_dict: unexpected key '3.weight'", Assert.Throws<ArgumentException>(() => target.LoadStateDict(extra)).Message);
    }

    [Fact]
    public void DropoutZeroesAFractionPAndScalesTheRestByOneOverOneMinusP()
    {
        const double p = 0.25;
        const int n = 10_000;
        var dropout = new Dropout(p, new Generator(9));
        // Distinct inputs, so each kept value must be its own input scaled, not merely some scaled value.
        var x = Tensor.Uniform([n], 1, 2, new Generator(3));
        var input = x.ToFloatArray();
        var y = dropout.Forward(x).ToFloatArray();
        float scale = (float)(1 / (1 - p)); // the float32 factor the layer multiplies by: the product is exact to compare
        for (int i = 0; i < n; i++) Assert.True(y[i] == 0 || y[i] == input[i] * scale, $"element {i}: input {input[i]}, output {y[i]}");

        // The number dropped is binomial(n, p): its fraction has standard error √(p(1 − p)/n) = 0.00433 for n = 10,000.
        // Four standard errors either side (a correct layer falls outside with probability 6e-5) is 0.2327 to 0.2673.
        double dropped = y.Count(v => v == 0) / (double)n;
        Assert.InRange(dropped, 0.2327, 0.2673);

        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Equal("dropout: probability must be in [0, 1), got 1", Assert.Throws<ArgumentException>(() => new Dropout(1)).Message);
    }

    [Fact]
    public void TrainAndEvalReachEveryChild()
    {
        var dropout = new Dropout();
        var model = new Sequential(new Linear(2, 2), new Sequential(dropout));
        model.Eval();
        Assert.False(dropout.IsTraining);
        model.Train();
        Assert.True(dropout.IsTraining);
    }
}

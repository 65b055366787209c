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
    public void LinearComputesXWTransposePlusBiasAndInitialisesLikePyTorch()
    {
        var layer = new Linear(3, 2, dtype: DType.Float64, generator: new Generator(4));
        double bound = 1 / Math.Sqrt(3);
        Assert.All(layer.Weight.ToDoubleArray().Concat(layer.Bias!.ToDoubleArray()), v => Assert.InRange(v, -bound, bound));

        using (new Backprop.Autograd.NoGrad())
        {
            layer.Weight.CopyInPlace(Tensor.FromArray(new double[,] { { 1, 0, -1 }, { 2, 1, 0 } }));
            layer.Bias.CopyInPlace(Tensor.FromArray([0.5, -0.5]));
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
    public void DropoutScalesInTrainingAndPassesThroughInEval()
    {
        var dropout = new Dropout(0.25, new Generator(9));
        var x = Tensor.Ones([10_000]);
        var y = dropout.Forward(x).ToDoubleArray();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-6));
        Assert.Equal(0.25, y.Count(v => v == 0) / 10_000.0, 1);
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

    [Fact]
    public void InitialisersUseTheirBounds()
    {
        var w = Tensor.Zeros([200, 300]);
        Init.XavierUniform(w, generator: new Generator(1));
        double xavier = Math.Sqrt(6.0 / 500);
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(v, -xavier, xavier));
        Init.KaimingUniform(w, new Generator(2));
        double kaiming = Math.Sqrt(6.0 / 300);
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(v, -kaiming, kaiming));
        Init.KaimingNormal(w, new Generator(3));
        Assert.Equal(Math.Sqrt(2.0 / 300), StandardDeviation(w), 2);
        Init.XavierNormal(w, generator: new Generator(4));
        Assert.Equal(Math.Sqrt(2.0 / 500), StandardDeviation(w), 2);
    }

    private static double StandardDeviation(Tensor t)
    {
        var v = t.ToDoubleArray();
        double mean = v.Average();
        return Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
    }
}

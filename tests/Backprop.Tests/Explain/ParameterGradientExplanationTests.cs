using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Autograd;
using Backprop.Explain;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Explain;

public partial class ParameterGradientExplanationTests
{
    private sealed record Setup(Sequential Model, Tensor Inputs, Tensor Targets, LossModule Loss);

    /// <summary>
    /// A seeded network and batch: "tanh" is 2-4-2-1 with tanh under MSE, "relu" 2-3-3 with ReLU under cross-entropy
    /// (int64 classes), "mixed" 2-3-3-2 with leaky ReLU (slope 0.2), no activation, then ELU (α 0.5) under BCE. The float64
    /// network has the float32 one's values, so the two agree up to float32 rounding.
    /// </summary>
    private static Setup Build(string net, DType dtype = DType.Float32, int examples = 10)
    {
        var g = new Generator(11);
        Linear Dense(int ins, int outs) => new(ins, outs, generator: g);
        var model = net switch
        {
            "tanh" => new Sequential(Dense(2, 4), new Tanh(), Dense(4, 2), new Tanh(), Dense(2, 1)),
            "relu" => new Sequential(Dense(2, 3), new ReLU(), Dense(3, 3)),
            _ => new Sequential(Dense(2, 3), new LeakyReLU(0.2), Dense(3, 3), Dense(3, 2), new ELU(0.5)),
        };
        var data = new Generator(5);
        var inputs = Tensor.Uniform([examples, 2], -2, 2, data, dtype);
        var (targets, loss) = net switch
        {
            "tanh" => (Tensor.Uniform([examples, 1], -1, 1, data, dtype), (LossModule)new MSELoss()),
            "relu" => (Tensor.FromArray([.. Enumerable.Range(0, examples).Select(_ => (long)data.NextInt(3))]), new CrossEntropyLoss()),
            _ => (Tensor.Uniform([examples, 2], 0, 1, data, dtype), new BCEWithLogitsLoss()),
        };
        if (dtype == DType.Float32) return new(model, inputs, targets, loss);
        var wide = new Sequential([.. model.Layers.Select(layer => layer is Linear l ? new Linear(l.InFeatures, l.OutFeatures, dtype: DType.Float64) : layer)]);
        wide.LoadStateDict(model.StateDict());
        return new(wide, inputs, targets, loss);
    }

    private static Linear LinearLayer(Sequential model, int layer) => model.Layers.OfType<Linear>().ElementAt(layer - 1);

    private static ParameterRef Ref(int layer, int from, int to) => from < 0 ? ParameterRef.Bias(layer, to) : ParameterRef.Weight(layer, from, to);

    private static (Tensor Tensor, int Index) Element(Sequential model, ParameterRef p)
    {
        var linear = LinearLayer(model, p.Layer);
        return p.From is { } from ? (linear.Weight, p.To * linear.InFeatures + from) : (linear.Bias!, p.To);
    }

    /// <summary>The cost as training computes it: the loss module on the model's output, plus the penalty on every weight.</summary>
    private static Tensor Cost(Setup s, Penalty? penalty)
    {
        var loss = s.Loss.Forward(s.Model.Forward(s.Inputs), s.Loss.TakesClassIndices ? s.Targets : s.Targets.Reshape(s.Inputs.Shape[0], -1));
        return penalty is null ? loss : loss + Loss.WeightPenalty(s.Model.Layers.OfType<Linear>().Select(l => l.Weight), penalty);
    }

    private static Penalty? PenaltyOf(string kind) => kind switch
    {
        "L1" => new Penalty(PenaltyKind.L1, 0.01),
        "L2" => new Penalty(PenaltyKind.L2, 0.03),
        _ => null,
    };

    private static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    // Weights and biases of the first, middle and last layers (from = −1: a bias), without and with each penalty.
    public static TheoryData<string, int, int, int, string> Parameters() => new()
    {
        { "tanh", 1, 0, 2, "" }, { "tanh", 1, -1, 3, "" }, { "tanh", 2, 3, 1, "" }, { "tanh", 2, -1, 0, "L2" },
        { "tanh", 3, 1, 0, "" }, { "tanh", 3, -1, 0, "" }, { "tanh", 1, 1, 0, "L1" }, { "tanh", 3, 0, 0, "L2" },
        { "relu", 1, 1, 2, "" }, { "relu", 1, -1, 0, "" }, { "relu", 2, 2, 1, "" }, { "relu", 2, -1, 2, "" }, { "relu", 2, 0, 0, "L1" },
        { "mixed", 1, 0, 1, "" }, { "mixed", 2, 2, 0, "L2" }, { "mixed", 3, 1, 1, "" }, { "mixed", 3, -1, 0, "" },
    };

    [Theory]
    [MemberData(nameof(Parameters))]
    public void TheGradientIsTheEnginesOwnAndTheModelKeepsThePassesGradients(string net, int layer, int from, int to, string penalty)
    {
        var s = Build(net);
        s.Model.Eval();
        var p = Ref(layer, from, to);
        // A pass before, whose gradients this one must replace rather than add to.
        ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, ParameterRef.Bias(1, 0));
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, p, PenaltyOf(penalty));
        Assert.False(s.Model.IsTraining); // the model stays in its mode

        // The same pass on a fresh copy, without any explanation.
        var fresh = Build(net);
        var cost = Cost(fresh, PenaltyOf(penalty));
        cost.Backward();
        var (tensor, index) = Element(fresh.Model, p);
        Assert.Equal(tensor.Grad!.ToDoubleArray()[index], explanation.Gradient);
        Assert.Equal(tensor.ToDoubleArray()[index], explanation.Value);
        Assert.Equal(cost.Item(), explanation.Cost);
        foreach (var ((name, mine), (_, theirs)) in s.Model.NamedParameters().Zip(fresh.Model.NamedParameters()))
        {
            Assert.True(theirs.Grad!.ToDoubleArray().SequenceEqual(mine.Grad!.ToDoubleArray()), $"{name}'s gradient differs from a plain pass's");
        }
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void TheGradientIsTheCostsCentralDifference(string net, int layer, int from, int to, string penalty)
    {
        var s = Build(net, DType.Float64);
        var p = Ref(layer, from, to);
        double gradient = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, p, PenaltyOf(penalty)).Gradient;

        const double eps = 1e-6;
        var (tensor, index) = Element(s.Model, p);
        double original = tensor.Span<double>()[index];
        double CostAt(double value)
        {
            tensor.Span<double>()[index] = value;
            using var _ = new NoGrad();
            return Cost(s, PenaltyOf(penalty)).Item();
        }
        double numerical = (CostAt(original + eps) - CostAt(original - eps)) / (2 * eps);
        tensor.Span<double>()[index] = original;
        Assert.True(Math.Abs(gradient - numerical) <= 1e-5 + 1e-3 * Math.Abs(numerical), $"{p}: the explanation gives {gradient:G8}, central differences {numerical:G8}");
    }

    [GeneratedRegex(@"\(([^()]+)\)\(([^()]+)\)")]
    private static partial Regex Product();

    [Theory]
    [MemberData(nameof(Parameters))]
    public void TheSumOverTheBatchMultipliesBackToTheGradient(string net, int layer, int from, int to, string penalty)
    {
        var s = Build(net);
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, Ref(layer, from, to), PenaltyOf(penalty));

        var products = Product().Matches(explanation.Lines[1])
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(10, products.Count);
        Assert.StartsWith("= (", explanation.Lines[1]);
        // Each factor is rounded to 4 significant digits (a relative error of at most 5e-4), so each product to about 1e-3.
        double expected = explanation.Gradient - explanation.PenaltyGradient;
        Assert.True(Math.Abs(products.Sum() - expected) <= 1.001e-3 * products.Sum(Math.Abs) + 1e-12,
            $"the terms sum to {products.Sum():G6}, the loss's part of the gradient is {expected:G6}: {explanation.Lines[1]}");
        Assert.Contains($"= {F(explanation.Gradient)}", explanation.Lines);
    }

    [Theory]
    [InlineData(PenaltyKind.L1)]
    [InlineData(PenaltyKind.L2)]
    public void ThePenaltyAddsItsDerivativeToWeightsAndNothingToBiases(PenaltyKind kind)
    {
        var s = Build("tanh", DType.Float64);
        var penalty = new Penalty(kind, 0.05);
        var weight = ParameterRef.Weight(2, 3, 1);
        var without = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, weight);
        var with = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, weight, penalty);

        double w = with.Value;
        double derivative = kind == PenaltyKind.L1 ? 0.05 * Math.Sign(w) : 0.05 * w; // λ·sign(w), or λ·w from λ·½·w²
        Assert.Equal(derivative, with.PenaltyGradient);
        Assert.Equal(derivative, with.Gradient - without.Gradient, 15);
        Assert.Equal(0, without.PenaltyGradient);
        Assert.Equal(without.Batch.Value, with.Batch.Value, 15);
        string term = kind == PenaltyKind.L1 ? "λ·sign(w2[3→1])" : "λ·w2[3→1]";
        Assert.EndsWith($" + {term}, with dz2[1]/dw2[3→1] = a1[3]", with.Lines[0]);
        double factor = kind == PenaltyKind.L1 ? Math.Sign(w) : w;
        Assert.Equal($"+ {term} = 0.05·{(factor < 0 ? $"({F(factor)})" : F(factor))} = {F(derivative)}", with.Lines[2]);
        Assert.Equal($"= {F(with.Gradient)}", with.Lines[3]);

        var bias = ParameterRef.Bias(2, 1);
        var biasWithout = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, bias);
        var biasWith = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, bias, penalty);
        Assert.Equal(biasWithout.Gradient, biasWith.Gradient);
        Assert.Equal($"(no penalty term: the {kind} penalty applies to weights, not biases)", biasWith.Lines[2]);
    }

    [Fact]
    public void TheTraceGoesFromTheParametersNeuronToTheLossForTheFirstExample()
    {
        var s = Build("tanh");
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, ParameterRef.Weight(1, 0, 2));
        Assert.Equal("dC/dw1[0→2] = Σ over the batch of dC/dz1[2] · dz1[2]/dw1[0→2], with dz1[2]/dw1[0→2] = x[0]", explanation.Lines[0]);
        Assert.Equal(["dC/dz1[2]", "dC/da1[2]", "dC/dz2[0]", "dC/dz2[1]", "dC/da2[0]", "dC/da2[1]"], explanation.Trace.Select(t => t.Gradient));
        Assert.StartsWith("dC/dz1[2] = dC/da1[2] · tanh'(z1[2]) = ", NetworkExplanation.Describe(explanation.Trace[0]));
        Assert.StartsWith("dC/da1[2] = Σₘ dC/dz2[m] · w2[2→m] = ", NetworkExplanation.Describe(explanation.Trace[1]));
        // Each gradient is its upstream gradients times local derivatives (all read from the engine) up to rounding, and
        // the trace starts from the first example's term of the sum.
        foreach (var term in explanation.Trace) Assert.Equal(term.Value, term.ChainRuleValue, 6);
        Assert.Equal(explanation.Batch.Products[0].Upstream, explanation.Trace[0].Value);
        Assert.Equal(explanation.Trace.Select(NetworkExplanation.Describe), explanation.Lines.Skip(4).Take(6));

        // The loss's line: the engine's dC/dŷ of the first example, with the prediction and target it came from.
        var prediction = s.Model.Forward(s.Inputs);
        prediction.RetainGrad();
        Loss.Mse(prediction, s.Targets).Backward();
        Assert.Equal($"dC/dz3[0] = 2(z3[0] − y[0])/(B·out) = 2·({F(prediction[0, 0])} − {F(s.Targets[0, 0])})/(10·1) = {F(prediction.Grad![0, 0])}",
            explanation.Lines[^1]);
    }

    [Fact]
    public void CrossEntropysLossLinesDivideByTheBatchAndTakeFloatClasses()
    {
        var s = Build("relu");
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, ParameterRef.Weight(2, 2, 1));
        // A weight of the last layer needs only its own output's loss derivative: dz2[1] has no activation after it.
        Assert.Equal("where, for the batch's first example, dC/dz2[1] traced back to the loss:", explanation.Lines[^2]);
        Assert.Empty(explanation.Trace);
        var prediction = s.Model.Forward(s.Inputs);
        prediction.RetainGrad();
        Loss.CrossEntropy(prediction, s.Targets).Backward();
        long label = s.Targets.ToInt64Array()[0];
        Assert.Equal($"dC/dz2[1] = (softmax(z2)[1] − [1 = {label}])/B = ({F(prediction.Detach().Softmax()[0, 1])} − {(label == 1 ? 1 : 0)})/10 = {F(prediction.Grad![0, 1])}",
            explanation.Lines[^1]);

        var floats = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets.To(DType.Float32), s.Loss, ParameterRef.Weight(2, 2, 1));
        Assert.Equal(explanation.Gradient, floats.Gradient);
    }

    [Fact]
    public void ALargeBatchIsSummarised()
    {
        var s = Build("tanh", examples: 25);
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, ParameterRef.Weight(3, 1, 0));
        var products = explanation.Batch.Products;
        Assert.Equal(25, products.Count);
        Assert.Equal($"= {string.Join(" + ", products.Take(3).Select(p => $"({F(p.Upstream)})({F(p.Local)})"))} + … (25 examples)", explanation.Lines[1]);

        var fresh = Build("tanh", examples: 25);
        Cost(fresh, null).Backward();
        Assert.Equal(LinearLayer(fresh.Model, 3).Weight.Grad![0, 1], explanation.Gradient);
    }

    [Fact]
    public void OneSgdStepIsTheUpdateLine()
    {
        var s = Build("tanh");
        var p = ParameterRef.Weight(2, 3, 1);
        var explanation = ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, p);
        new Sgd(s.Model.Parameters(), 0.03).Step(); // on the gradients the explanation's pass left
        double after = LinearLayer(s.Model, 2).Weight[1, 3];
        Assert.Equal(explanation.Value - 0.03 * explanation.Gradient, after, 6);
        string gradient = explanation.Gradient < 0 ? $"({F(explanation.Gradient)})" : F(explanation.Gradient);
        Assert.Equal($"w2[3→1] ← w2[3→1] − r·dC/dw2[3→1] = {F(explanation.Value)} − 0.03·{gradient} = {F(after)}",
            ParameterGradientExplanation.UpdateLine(p.ToString(), explanation.Value, 0.03, explanation.Gradient, after));
        Assert.Equal("w ← w − r·dC/dw = 0.5 − 0.03·(-0.0712) = 0.5021", ParameterGradientExplanation.UpdateLine("w", 0.5, 0.03, -0.0712, 0.5021));
    }

    [Theory]
    [InlineData(4, 0, 0, "w4[0→0] is not in the network, whose layers run from 1 to 3")]
    [InlineData(0, -1, 0, "b0[0] is not in the network, whose layers run from 1 to 3")]
    [InlineData(2, 4, 0, "w2[4→0] is not in the network: layer 2's weights run from neurons 0 to 3 of layer 1 to neurons 0 to 1 of layer 2")]
    [InlineData(1, 0, 4, "w1[0→4] is not in the network: layer 1's weights run from neurons 0 to 1 of layer 0 to neurons 0 to 3 of layer 1")]
    [InlineData(3, -1, 1, "b3[1] is not in the network: layer 3's biases are b3[0] to b3[0]")]
    public void AParameterOutsideTheNetworkIsAOneLineError(int layer, int from, int to, string message)
    {
        var s = Build("tanh");
        var error = Assert.Throws<ArgumentException>(() => ParameterGradientExplanation.Run(s.Model, s.Inputs, s.Targets, s.Loss, Ref(layer, from, to)));
        Assert.Equal("parameter gradient: " + message, error.Message);
    }

    [Fact]
    public void OnlyFullyConnectedNetworksAreExplained()
    {
        var inputs = Tensor.Zeros([3, 2]);
        var targets = Tensor.Zeros([3, 1]);
        string Error(Sequential model, ParameterRef? p = null, Tensor? x = null) =>
            Assert.Throws<ArgumentException>(() => ParameterGradientExplanation.Run(model, x ?? inputs, targets, new MSELoss(), p ?? ParameterRef.Bias(1, 0))).Message;

        Assert.Equal("parameter gradient: layer 1 (Dropout) is not a Linear layer or an activation after one; only fully-connected networks are explained",
            Error(new Sequential(new Linear(2, 2), new Dropout(0.5), new Linear(2, 1))));
        Assert.Equal("parameter gradient: layer 0 (Tanh) is not a Linear layer or an activation after one; only fully-connected networks are explained",
            Error(new Sequential(new Tanh(), new Linear(2, 1))));
        Assert.Equal("parameter gradient: b1[0] is not in the network: layer 1 has no bias",
            Error(new Sequential(new Linear(2, 1, bias: false))));
        Assert.Equal("parameter gradient: the inputs must be a batch [B, 2] with B ≥ 1, got shape [2]",
            Error(new Sequential(new Linear(2, 1)), x: Tensor.Zeros([2])));
    }
}

using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Explain;

/// <summary>
/// The gradient of one weight or bias of a fully-connected network for a whole batch, as the chain rule with numbers:
/// what a playground shows when the learner clicks a weight. dC/dw is the sum over the batch of dC/dz · dz/dw (dz/dw is
/// the input the weight multiplies, 1 for a bias), plus the weight penalty's derivative when there is one; then, for the
/// batch's first example, the upstream gradient dC/dz is traced back layer by layer to the loss. Every number is the
/// engine's: the forward values, the gradients every op kept through backward (<see cref="ComputationGraph.RetainGrads"/>),
/// and the local derivatives of the activations and of the penalty, which the engine differentiates too.
/// </summary>
public sealed class ParameterGradientExplanation
{
    /// <summary>A batch up to this size has every example's term listed; a larger one its first few and a count.</summary>
    public const int MaxListedExamples = 10;

    private const int SummarisedExamples = 3;

    /// <summary>A Linear layer and the activations that follow it (none: its output is its weighted sum).</summary>
    private sealed record DenseLayer(Linear Linear, List<ActivationModule> Activations)
    {
        public Tensor Activate(Tensor z) => Activations.Aggregate(z, (x, activation) => activation.Forward(x));

        /// <summary>"tanh", or "relu∘tanh" for tanh then relu.</summary>
        public string Name => string.Join("∘", Activations.Select(a => a.Activation.Name).Reverse());
    }

    private ParameterGradientExplanation(ParameterRef parameter, double value, double gradient, double penaltyGradient, double cost,
        ChainRuleTerm batch, IReadOnlyList<ChainRuleTerm> trace, IReadOnlyList<string> lines)
    {
        Parameter = parameter;
        Value = value;
        Gradient = gradient;
        PenaltyGradient = penaltyGradient;
        Cost = cost;
        Batch = batch;
        Trace = trace;
        Lines = lines;
    }

    /// <summary>The parameter explained.</summary>
    public ParameterRef Parameter { get; }

    /// <summary>The parameter's value.</summary>
    public double Value { get; }

    /// <summary>dC/d(parameter): the engine's gradient, read from the parameter's <see cref="Tensor.Grad"/>.</summary>
    public double Gradient { get; }

    /// <summary>The penalty's part of <see cref="Gradient"/> (λ·sign(w) or λ·w, from the engine); 0 without one and for a bias.</summary>
    public double PenaltyGradient { get; }

    /// <summary>C, the loss's mean over the batch plus the penalty.</summary>
    public double Cost { get; }

    /// <summary>
    /// The sum over the batch: one (dC/dz, dz/dw) product per example, in the batch's order. Its value is the loss's part
    /// of the gradient, <see cref="Gradient"/> less <see cref="PenaltyGradient"/>.
    /// </summary>
    public ChainRuleTerm Batch { get; }

    /// <summary>For the batch's first example, dC/dz of the parameter's neuron traced back to the loss, one term per neuron on the way.</summary>
    public IReadOnlyList<ChainRuleTerm> Trace { get; }

    /// <summary>The narration: the sum over the batch, the penalty, the gradient, then the trace to the loss.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>
    /// Runs <paramref name="model"/>, made of <see cref="Linear"/> layers each followed by any number of activations, on
    /// <paramref name="inputs"/> [B, in] against <paramref name="targets"/> (values [B, out], or for cross-entropy class
    /// indices [B], int64 or whole numbers in a float tensor; or as the data holds them, encoded by <paramref name="task"/>
    /// as training encodes them), and explains the gradient of <paramref name="parameter"/>.
    /// The cost is the loss's mean over the batch, as training computes it, plus <paramref name="penalty"/> on the weights
    /// of every Linear layer (never on biases, as in TensorFlow Playground). Afterwards every parameter's
    /// <see cref="Tensor.Grad"/> is this pass's gradient, as after zeroing and one backward, ready for an optimizer's step;
    /// the model's mode is left as it was (none of its layers reads it).
    /// </summary>
    public static ParameterGradientExplanation Run(Sequential model, Tensor inputs, Tensor targets, LossModule loss, ParameterRef parameter, Penalty? penalty = null, TrainingTask? task = null)
    {
        var layers = DenseLayers(model);
        var (tensor, index) = Locate(layers, parameter);
        int first = layers[0].Linear.InFeatures;
        if (inputs.Rank != 2 || inputs.Shape[0] == 0 || inputs.Shape[1] != first)
        {
            throw new ArgumentException($"parameter gradient: the inputs must be a batch [B, {first}] with B ≥ 1, got shape {inputs.Shape}");
        }

        // Layer l's weighted sum z[l] and output a[l] (a[l] is z[l] without activations); a[0] is the input x.
        int n = layers.Count;
        var z = new Tensor[n + 1];
        var a = new Tensor[n + 1];
        z[0] = a[0] = inputs;
        foreach (var p in model.Parameters()) p.Grad = null;
        for (int l = 1; l <= n; l++)
        {
            z[l] = layers[l - 1].Linear.Forward(a[l - 1]);
            a[l] = layers[l - 1].Activate(z[l]);
        }
        var lossNarrator = LossNarrator.For(loss, a[n], task is null ? targets : task.EncodeTargets(targets, a[n]));
        var cost = penalty is null ? lossNarrator.Cost : lossNarrator.Cost + Loss.WeightPenalty(layers.Select(d => d.Linear.Weight), penalty);
        ComputationGraph.Of(cost).RetainGrads();
        cost.Backward();

        string Output(int l) => l == 0 ? "x" : layers[l - 1].Activations.Count > 0 ? $"a{l}" : $"z{l}";
        int layer = parameter.Layer, to = parameter.To;
        double value = tensor.ToDoubleArray()[index];
        double gradient = tensor.Grad!.ToDoubleArray()[index];
        bool penalised = penalty is not null && !parameter.IsBias;
        double penaltyGradient = penalised ? LayerNarrator.LocalDerivative(w => Loss.WeightPenalty([w], penalty!), tensor).ToDoubleArray()[index] : 0;

        string name = parameter.ToString(), sum = $"z{layer}[{to}]";
        string local = parameter.From is { } from ? $"{Output(layer - 1)}[{from}]" : "1";
        var products = Enumerable.Range(0, inputs.Shape[0])
            .Select(b => (z[layer].Grad![b, to], parameter.From is { } i ? a[layer - 1][b, i] : 1.0))
            .ToList();
        var batch = new ChainRuleTerm($"dC/d{name}", $"dC/d{sum}", local, products, gradient - penaltyGradient, SumOver: "_b");

        string penaltyTerm = penalty?.Kind == PenaltyKind.L1 ? $"λ·sign({name})" : $"λ·{name}";
        var lines = new List<string>
        {
            $"dC/d{name} = Σ over the batch of dC/d{sum} · d{sum}/d{name}{(penalised ? $" + {penaltyTerm}" : "")}, with d{sum}/d{name} = {local}",
            "= " + Terms(products),
        };
        if (penalised)
        {
            string factor = Factor(penalty!.Kind == PenaltyKind.L1 ? Math.Sign(value) : value);
            lines.Add($"+ {penaltyTerm} = {LayerNarrator.Format(penalty.Rate)}·{factor} = {LayerNarrator.Format(penaltyGradient)}");
        }
        else if (penalty is not null)
        {
            lines.Add($"(no penalty term: the {penalty.Kind} penalty applies to weights, not biases)");
        }
        lines.Add($"= {LayerNarrator.Format(gradient)}");

        var trace = TraceToLoss(layers, z, a, Output, layer, to, out var outputs);
        lines.Add($"where, for the batch's first example, dC/d{sum} traced back to the loss:");
        lines.AddRange(trace.Select(NetworkExplanation.Describe));
        lines.AddRange(outputs.Select(k => lossNarrator.Gradient(Output(n), 0, k)));
        return new ParameterGradientExplanation(parameter, value, gradient, penaltyGradient, cost.Item(), batch, trace, lines);
    }

    /// <summary>
    /// "<paramref name="name"/> ← <paramref name="name"/> − r·dC/d<paramref name="name"/> = 0.5 − 0.03·(-0.0712) = 0.5021":
    /// the article's update w₁ = w₀ − r·dC/dw, as plain gradient descent makes it, with <paramref name="after"/> the value
    /// read from the parameter after the optimizer's step.
    /// </summary>
    public static string UpdateLine(string name, double before, double learningRate, double gradient, double after) =>
        $"{name} ← {name} − r·dC/d{name} = {LayerNarrator.Format(before)} − {LayerNarrator.Format(learningRate)}·{Factor(gradient)} = {LayerNarrator.Format(after)}";

    /// <summary>A number multiplied after "·": in parentheses when negative, so that "0.03·(-0.07)" does not read as a subtraction.</summary>
    private static string Factor(double value) => value < 0 ? $"({LayerNarrator.Format(value)})" : LayerNarrator.Format(value);

    /// <summary>"(u)(l) + (u)(l) + …": every product of a small batch, the first few of a large one and the count.</summary>
    private static string Terms(IReadOnlyList<(double Upstream, double Local)> products)
    {
        bool all = products.Count <= MaxListedExamples;
        var listed = products.Take(all ? products.Count : SummarisedExamples).Select(p => $"({LayerNarrator.Format(p.Upstream)})({LayerNarrator.Format(p.Local)})");
        return string.Join(" + ", listed) + (all ? "" : $" + … ({products.Count} examples)");
    }

    /// <summary>
    /// dC/dz of neuron <paramref name="to"/> of layer <paramref name="layer"/> for the first example, traced towards the
    /// loss: through each layer's activations (dC/dz = dC/da · f'(z)) and each next layer's weights
    /// (dC/da[k] = Σₘ dC/dz[m] · w[k→m]), every neuron on the way. <paramref name="outputs"/> are the network's outputs
    /// reached, whose loss derivatives end the trace.
    /// </summary>
    private static List<ChainRuleTerm> TraceToLoss(List<DenseLayer> layers, Tensor[] z, Tensor[] a, Func<int, string> output, int layer, int to, out int[] outputs)
    {
        var trace = new List<ChainRuleTerm>();
        outputs = [to];
        for (int l = layer; ; l++)
        {
            var dense = layers[l - 1];
            if (dense.Activations.Count > 0)
            {
                var slope = LayerNarrator.LocalDerivative(dense.Activate, z[l]);
                foreach (int k in outputs)
                {
                    trace.Add(new($"dC/dz{l}[{k}]", $"dC/da{l}[{k}]", $"{dense.Name}'(z{l}[{k}])", [(a[l].Grad![0, k], slope[0, k])], z[l].Grad![0, k]));
                }
            }
            if (l == layers.Count) return trace;
            var next = layers[l].Linear;
            foreach (int k in outputs)
            {
                var products = Enumerable.Range(0, next.OutFeatures).Select(m => (z[l + 1].Grad![0, m], next.Weight[m, k])).ToList();
                string m = next.OutFeatures == 1 ? "0" : "m"; // a single neuron is named, not summed over
                trace.Add(new($"dC/d{output(l)}[{k}]", $"dC/dz{l + 1}[{m}]", $"w{l + 1}[{k}→{m}]", products, a[l].Grad![0, k], SumOver: "ₘ"));
            }
            outputs = [.. Enumerable.Range(0, next.OutFeatures)];
        }
    }

    /// <summary>The model's Linear layers with their activations, or a one-line error naming a layer of another kind.</summary>
    private static List<DenseLayer> DenseLayers(Sequential model)
    {
        var layers = new List<DenseLayer>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            switch (model.Layers[i])
            {
                case Linear linear:
                    layers.Add(new(linear, []));
                    break;
                case ActivationModule activation when layers.Count > 0:
                    layers[^1].Activations.Add(activation);
                    break;
                case var other:
                    throw new ArgumentException($"parameter gradient: layer {i} ({other.GetType().Name}) is not a Linear layer or an activation after one; only fully-connected networks are explained");
            }
        }
        if (layers.Count == 0) throw new ArgumentException("parameter gradient: the network has no Linear layer");
        return layers;
    }

    /// <summary>The tensor that holds <paramref name="parameter"/> and its element's index, or an error giving the valid range.</summary>
    private static (Tensor Tensor, int Index) Locate(List<DenseLayer> layers, ParameterRef parameter)
    {
        int layer = parameter.Layer;
        if (layer < 1 || layer > layers.Count)
        {
            throw new ArgumentException($"parameter gradient: {parameter} is not in the network, whose layers run from 1 to {layers.Count}");
        }
        var linear = layers[layer - 1].Linear;
        int ins = linear.InFeatures, outs = linear.OutFeatures;
        if (parameter.From is not { } from)
        {
            if (linear.Bias is null) throw new ArgumentException($"parameter gradient: {parameter} is not in the network: layer {layer} has no bias");
            if (parameter.To < 0 || parameter.To >= outs) throw new ArgumentException($"parameter gradient: {parameter} is not in the network: layer {layer}'s biases are b{layer}[0] to b{layer}[{outs - 1}]");
            return (linear.Bias, parameter.To);
        }
        if (from < 0 || from >= ins || parameter.To < 0 || parameter.To >= outs)
        {
            throw new ArgumentException($"parameter gradient: {parameter} is not in the network: layer {layer}'s weights run from neurons 0 to {ins - 1} of layer {layer - 1} to neurons 0 to {outs - 1} of layer {layer}");
        }
        return (linear.Weight, parameter.To * ins + from);
    }
}

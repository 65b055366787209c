using System.Text;
using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Explain;

/// <summary>
/// One forward and backward pass of a small network on one example, narrated: every value of the forward pass, then,
/// from the loss back to the first layer, every gradient as the product of the upstream gradient and the op's local
/// derivative, with numbers. The gradients are the engine's own (<see cref="Tensor.Grad"/>, with every intermediate
/// kept); local derivatives of activations come from the engine too. Tensors with more than
/// <see cref="MaxTermsPerTensor"/> elements are summarised (shape, a few values, norm) instead of listed.
/// </summary>
public sealed class NetworkExplanation
{
    /// <summary>Gradients of larger tensors are summarised rather than listed element by element.</summary>
    public const int MaxTermsPerTensor = 16;

    /// <summary>A step of the backward pass: one op, its chain-rule terms and the summaries of tensors too large to list.</summary>
    public sealed record Step(string Title, IReadOnlyList<string> Lines, IReadOnlyList<ChainRuleTerm> Terms);

    private NetworkExplanation(IReadOnlyList<string> forward, double cost, IReadOnlyList<Step> backward)
    {
        Forward = forward;
        Cost = cost;
        Backward = backward;
    }

    /// <summary>The forward pass, a line per layer: the value each computes.</summary>
    public IReadOnlyList<string> Forward { get; }

    /// <summary>The loss C.</summary>
    public double Cost { get; }

    /// <summary>The backward pass, from the loss back to the first layer.</summary>
    public IReadOnlyList<Step> Backward { get; }

    /// <summary>
    /// Runs <paramref name="model"/> on one example <paramref name="input"/> ([1, …] with the batch axis, or [in] for a
    /// network of linear layers) against <paramref name="target"/> (values [out], or for cross-entropy one class index)
    /// under <paramref name="loss"/>, and narrates the backward pass. The model runs in training mode, so that batch norm
    /// normalises with the example's own statistics (and moves its running ones), except dropout, which passes everything
    /// through as at inference; afterwards the model is back in the mode it was in. The model's gradients are left as the
    /// pass made them.
    /// </summary>
    public static NetworkExplanation Run(Sequential model, Tensor input, Tensor target, LossKind loss)
    {
        var narrators = model.Layers.Select(LayerNarrator.For).ToList();
        if (input.Rank == 1) input = input.Reshape(1, input.Count);
        if (input.Rank < 2 || input.Shape[0] != 1) throw new ArgumentException($"explain: the input must be one example with its batch axis [1, …], got shape {input.Shape}");

        bool wasTraining = model.IsTraining;
        model.Train();
        foreach (var layer in model.Layers.Where(l => l is Dropout or Dropout2d)) layer.Eval();
        try
        {
            return Narrate(model, narrators, input, target, loss);
        }
        finally
        {
            model.Train(wasTraining); // the caller's model back in its mode
        }
    }

    private static NetworkExplanation Narrate(Sequential model, List<LayerNarrator> narrators, Tensor input, Tensor target, LossKind loss)
    {
        foreach (var parameter in model.Parameters()) parameter.Grad = null;
        var names = new List<string> { "x" };
        var values = new List<Tensor> { input };
        var forward = new List<string> { $"x = {LayerNarrator.List(input)}" };
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var output = model.Layers[i].Forward(values[^1]);
            string name = narrators[i].Letter + i;
            forward.Add(narrators[i].Forward(name, names[^1], values[^1], output));
            names.Add(name);
            values.Add(output);
        }
        var prediction = values[^1];
        var (cost, lossLines) = LossWithDerivative(loss, prediction, target, names[^1]);
        forward.Add(lossLines.Forward);

        ComputationGraph.Of(cost).RetainGrads();
        cost.Backward();

        var backward = new List<Step> { new($"loss {loss.Name()}: dC/d{names[^1]}", lossLines.Backward(prediction.Grad!), []) };
        for (int i = model.Layers.Count - 1; i >= 0; i--) backward.Add(narrators[i].Backward(names[i + 1], names[i], values[i + 1], values[i]));
        return new NetworkExplanation(forward, cost.Item(), backward);
    }

    private sealed record LossLines(string Forward, Func<Tensor, IReadOnlyList<string>> Backward);

    /// <summary>The loss, its line in the forward pass, and the lines that give dC/d(prediction) with numbers.</summary>
    private static (Tensor Cost, LossLines Lines) LossWithDerivative(LossKind loss, Tensor prediction, Tensor target, string name)
    {
        var p = prediction.ToDoubleArray();
        int n = p.Length;
        switch (loss)
        {
            case LossKind.CrossEntropy:
            {
                var cost = Loss.CrossEntropy(prediction, target.Reshape(1).To(DType.Float32));
                int label = (int)target.Reshape(1).Item();
                var probabilities = prediction.Detach().Softmax(-1).ToDoubleArray();
                return (cost, new LossLines($"C = cross_entropy({name}, class {label}) = −log softmax({name})[{label}] = {LayerNarrator.Format(cost.Item())}",
                    grad => [.. grad.ToDoubleArray().Select((g, j) =>
                        $"dC/d{name}[{j}] = softmax({name})[{j}] − [{j} = {label}] = {LayerNarrator.Format(probabilities[j])} − {(j == label ? 1 : 0)} = {LayerNarrator.Format(g)}")]));
            }
            case LossKind.Bce:
            {
                var y = target.Reshape([.. prediction.Shape]).To(prediction.DType);
                var cost = Loss.BinaryCrossEntropyWithLogits(prediction, y);
                var yv = y.ToDoubleArray();
                var sigmoid = prediction.Detach().Sigmoid().ToDoubleArray();
                return (cost, new LossLines($"C = bce_with_logits({name}, y = {LayerNarrator.List(y)}) = {LayerNarrator.Format(cost.Item())}",
                    grad => [.. grad.ToDoubleArray().Select((g, j) =>
                        $"dC/d{name}[{j}] = (σ({name}[{j}]) − y[{j}])/{n} = ({LayerNarrator.Format(sigmoid[j])} − {LayerNarrator.Format(yv[j])})/{n} = {LayerNarrator.Format(g)}")]));
            }
            default:
            {
                var y = target.Reshape([.. prediction.Shape]).To(prediction.DType);
                var cost = Loss.Mse(prediction, y);
                var yv = y.ToDoubleArray();
                string terms = string.Join(" + ", p.Select((v, j) => $"({LayerNarrator.Format(v)} − {LayerNarrator.Format(yv[j])})²"));
                return (cost, new LossLines($"C = mean(({name} − y)²) = {(n == 1 ? terms : $"({terms})/{n}")} = {LayerNarrator.Format(cost.Item())}, y = {LayerNarrator.List(y)}",
                    grad => [.. grad.ToDoubleArray().Select((g, j) =>
                        $"dC/d{name}[{j}] = 2({name}[{j}] − y[{j}])/{n} = 2·({LayerNarrator.Format(p[j])} − {LayerNarrator.Format(yv[j])})/{n} = {LayerNarrator.Format(g)}")]));
            }
        }
    }

    /// <summary>The whole narration as text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Forward pass\n");
        foreach (var line in Forward) text.Append("  ").Append(line).Append('\n');
        text.Append("\nBackward pass, from the loss back: each gradient is the upstream gradient times the op's local derivative\n");
        foreach (var step in Backward)
        {
            text.Append("  ").Append(step.Title).Append('\n');
            foreach (var line in step.Lines) text.Append("    ").Append(line).Append('\n');
            foreach (var term in step.Terms) text.Append("    ").Append(Describe(term)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>"dC/dW[0,1] = dC/dz[0] · x[1] = 1.48 · 0.05 = 0.074", with a Σ where several products add up.</summary>
    public static string Describe(ChainRuleTerm term)
    {
        string numbers = string.Join(" + ", term.Products.Select(p => $"{LayerNarrator.Format(p.Upstream)} · {LayerNarrator.Format(p.Local)}"));
        string sum = term.Products.Count > 1 ? $"Σ{term.SumOver} " : "";
        return $"{term.Gradient} = {sum}{term.Upstream} · {term.Local} = {numbers} = {LayerNarrator.Format(term.Value)}";
    }
}

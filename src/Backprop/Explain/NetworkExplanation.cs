using Backprop.Losses;
using System.Text;
using Backprop.Autograd;
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
    public static NetworkExplanation Run(Sequential model, Tensor input, Tensor target, LossModule loss)
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

    private static NetworkExplanation Narrate(Sequential model, List<LayerNarrator> narrators, Tensor input, Tensor target, LossModule loss)
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
        var lossNarrator = LossNarrator.For(loss, prediction, loss.TakesClassIndices ? target.Reshape(1) : target);
        var cost = lossNarrator.Cost;
        forward.Add(lossNarrator.Forward(names[^1]));

        ComputationGraph.Of(cost).RetainGrads();
        cost.Backward();

        var lossLines = Enumerable.Range(0, prediction.Count).Select(j => lossNarrator.Gradient(names[^1], 0, j)).ToList();
        var backward = new List<Step> { new($"loss {loss.Name}: dC/d{names[^1]}", lossLines, []) };
        for (int i = model.Layers.Count - 1; i >= 0; i--) backward.Add(narrators[i].Backward(names[i + 1], names[i], values[i + 1], values[i]));
        return new NetworkExplanation(forward, cost.Item(), backward);
    }

    /// <summary>The whole narration as text.</summary>
    public override string ToString() => Text(Forward, Backward);

    /// <summary>A narration as text: the forward lines, then each backward step's title, lines and terms.</summary>
    internal static string Text(IReadOnlyList<string> forward, IReadOnlyList<Step> backward)
    {
        var text = new StringBuilder("Forward pass\n");
        foreach (var line in forward) text.Append("  ").Append(line).Append('\n');
        text.Append("\nBackward pass, from the loss back: each gradient is the upstream gradient times the op's local derivative\n");
        foreach (var step in backward)
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

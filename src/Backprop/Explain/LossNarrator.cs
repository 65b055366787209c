using Backprop.Losses;
using Backprop.Training;

namespace Backprop.Explain;

/// <summary>
/// The loss at the end of a narrated pass: the cost of predictions [B, out] against their targets, the loss's mean over
/// the batch as training computes it, and after backward the line that gives dC/d(prediction) of one output of one
/// example with numbers. The gradient in that line is the engine's own, read from the prediction's <see cref="Tensor.Grad"/>.
/// </summary>
internal sealed class LossNarrator
{
    private readonly LossModule loss;
    private readonly Tensor prediction;
    private readonly Tensor target;
    private readonly int examples;
    private readonly int outputs;
    private readonly int[] labels;

    private LossNarrator(LossModule loss, Tensor prediction, Tensor target)
    {
        this.loss = loss;
        this.prediction = prediction;
        this.target = target;
        examples = prediction.Shape[0];
        outputs = prediction.Count / examples;
        Cost = loss.Forward(prediction, target);
        labels = loss.TakesClassIndices ? ClassIndex.ToArray("cross_entropy", target) : [];
    }

    /// <summary>C, the loss of the batch.</summary>
    public Tensor Cost { get; }

    /// <summary>
    /// The loss of <paramref name="prediction"/> [B, …] against <paramref name="target"/>: class indices [B] for
    /// cross-entropy (int64, or whole numbers in a float tensor), else values of the prediction's shape.
    /// </summary>
    public static LossNarrator For(LossModule loss, Tensor prediction, Tensor target) => loss is CrossEntropyLoss or BCEWithLogitsLoss or MSELoss
        ? new(loss, prediction, loss.TakesClassIndices ? target : target.Reshape([.. prediction.Shape]).To(prediction.DType))
        : throw new ArgumentException($"explain: the {loss.Name} loss has no narration here (cross-entropy, mse and bce have)");

    /// <summary>The cost's line in the forward pass of one example, whose prediction is called <paramref name="name"/>.</summary>
    public string Forward(string name)
    {
        string cost = LayerNarrator.Format(Cost.Item());
        switch (loss)
        {
            case CrossEntropyLoss:
                int label = labels[0];
                return $"C = cross_entropy({name}, class {label}) = −log softmax({name})[{label}] = {cost}";
            case BCEWithLogitsLoss:
                return $"C = bce_with_logits({name}, y = {LayerNarrator.List(target)}) = {cost}";
            default:
                var p = prediction.ToDoubleArray(); // MSELoss, the last of the three
                var y = target.ToDoubleArray();
                string terms = string.Join(" + ", p.Select((v, j) => $"({LayerNarrator.Format(v)} − {LayerNarrator.Format(y[j])})²"));
                return $"C = mean(({name} − y)²) = {(p.Length == 1 ? terms : $"({terms})/{p.Length}")} = {cost}, y = {LayerNarrator.List(target)}";
        }
    }

    /// <summary>
    /// "dC/d<paramref name="name"/>[j] = …" for output <paramref name="output"/> of example <paramref name="example"/>: the
    /// loss's derivative with its numbers, divided by what the mean divides by (B·out, or B for cross-entropy, whose mean
    /// is over examples), and the engine's gradient.
    /// </summary>
    public string Gradient(string name, int example, int output)
    {
        int at = example * outputs + output;
        string g = LayerNarrator.Format(prediction.Grad!.ToDoubleArray()[at]);
        string j = $"[{output}]";
        // A single example keeps the divisor's value alone: "/2" for two outputs, none for cross-entropy.
        (string symbol, string value) = (examples, loss.TakesClassIndices) switch
        {
            (1, true) => ("", ""),
            (1, _) => ($"/{outputs}", $"/{outputs}"),
            (_, true) => ("/B", $"/{examples}"),
            _ => ("/(B·out)", $"/({examples}·{outputs})"),
        };
        switch (loss)
        {
            case CrossEntropyLoss:
            {
                int label = labels[example];
                string p = LayerNarrator.Format(prediction.Detach().Softmax(-1).ToDoubleArray()[at]);
                string one = output == label ? "1" : "0";
                return symbol == ""
                    ? $"dC/d{name}{j} = softmax({name}){j} − [{output} = {label}] = {p} − {one} = {g}"
                    : $"dC/d{name}{j} = (softmax({name}){j} − [{output} = {label}]){symbol} = ({p} − {one}){value} = {g}";
            }
            case BCEWithLogitsLoss:
            {
                string s = LayerNarrator.Format(prediction.Detach().Sigmoid().ToDoubleArray()[at]);
                return $"dC/d{name}{j} = (σ({name}{j}) − y{j}){symbol} = ({s} − {LayerNarrator.Format(target.ToDoubleArray()[at])}){value} = {g}";
            }
            default:
            {
                string p = LayerNarrator.Format(prediction.ToDoubleArray()[at]);
                return $"dC/d{name}{j} = 2({name}{j} − y{j}){symbol} = 2·({p} − {LayerNarrator.Format(target.ToDoubleArray()[at])}){value} = {g}";
            }
        }
    }
}

using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop.Losses;

/// <summary>Cost functions, averaged over all elements (PyTorch's default 'mean' reduction).</summary>
public static class Loss
{
    /// <summary>
    /// Mean squared error, the article's cost: C = mean((a − y)²). For one output it is (a − y)², and dC/da = 2(a − y).
    /// Built from sub, pow and mean, so its derivative is theirs chained.
    /// </summary>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        RequireSameShape("mse_loss", prediction, target);
        return (prediction - target).Pow(2).Mean();
    }

    /// <summary>
    /// Binary cross-entropy on logits x with targets y in [0, 1], stable for any x:
    /// mean(max(x, 0) − x·y + softplus(−|x|)). d/dx = (σ(x) − y)/N, d/dy = −x/N.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target)
    {
        RequireSameShape("binary_cross_entropy_with_logits", logits, target);
        (logits, target) = Elementwise.Promote(logits, target);
        Tensor loss;
        using (new NoGrad())
        {
            loss = (logits.Relu() - logits * target + logits.Abs().Neg().Softplus()).Mean();
        }
        int n = logits.Count;
        return Graph.Record("binary_cross_entropy_with_logits", loss, [logits, target],
            g => [g * (logits.Sigmoid() - target) / n, g * logits.Neg() / n]);
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against class indices: the negative log-likelihood of log-softmax, stable for any logits.
    /// Its gradient with respect to the logits is (softmax − one-hot)/N, reached through the two ops' own rules.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, IReadOnlyList<int> targets) => NllLoss(logits.LogSoftmax(-1), targets);

    /// <summary>
    /// Negative log-likelihood: −mean over rows i of logProbs[i, targets[i]], for log-probabilities [N, C].
    /// d/dlogProbs is −1/N at each row's target column and 0 elsewhere.
    /// </summary>
    public static Tensor NllLoss(Tensor logProbs, IReadOnlyList<int> targets)
    {
        if (logProbs.Rank != 2) throw new ArgumentException($"nll_loss: expects log-probabilities of shape [N,C], got {logProbs.Shape}");
        int rows = logProbs.Shape[0], classes = logProbs.Shape[1];
        if (targets.Count != rows) throw new ArgumentException($"nll_loss: {targets.Count} targets for {rows} rows of shape {logProbs.Shape}");
        var index = targets.ToArray();
        for (int i = 0; i < index.Length; i++)
        {
            if (index[i] < 0 || index[i] >= classes) throw new ArgumentException($"nll_loss: target {index[i]} at row {i} is not a class in [0,{classes})");
        }

        var picked = Tensor.Empty(new Shape(rows), logProbs.DType);
        if (logProbs.DType == DType.Float32) Copy.Gather<float>(logProbs.Span<float>(), classes, index, picked.Span<float>());
        else Copy.Gather<double>(logProbs.Span<double>(), classes, index, picked.Span<double>());
        Tensor loss;
        using (new NoGrad()) loss = picked.Mean().Neg();

        return Graph.Record("nll_loss", loss, [logProbs], g =>
        {
            var perRow = (g.Neg() / rows).BroadcastTo(new Shape(rows));
            var grad = Tensor.Zeros(logProbs.Shape, logProbs.DType);
            if (grad.DType == DType.Float32) Copy.Scatter<float>(perRow.Span<float>(), classes, index, grad.Span<float>());
            else Copy.Scatter<double>(perRow.Span<double>(), classes, index, grad.Span<double>());
            return [grad];
        });
    }

    private static void RequireSameShape(string op, Tensor prediction, Tensor target)
    {
        if (prediction.Shape != target.Shape)
        {
            throw new ArgumentException($"{op}: prediction shape {prediction.Shape} and target shape {target.Shape} differ");
        }
    }
}

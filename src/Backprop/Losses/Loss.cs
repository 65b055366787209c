using System.Globalization;
using System.Numerics;
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
        (logits, target) = TypePromotion.Promote(logits, target);
        Tensor loss;
        using (new NoGrad())
        {
            loss = (logits.Relu() - logits * target + logits.Abs().Neg().Softplus()).Mean();
        }
        int n = logits.Count;
        return Graph.Record("binary_cross_entropy_with_logits", loss, [logits, target], (logits, target, n),
            static (s, g) => [g * (s.logits.Sigmoid() - s.target) / s.n, g * s.logits.Neg() / s.n]);
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against class indices: the mean over rows of log Σ e^x − x[target], computed stably
    /// (the row maximum is subtracted first). One fused op: d/dlogits = (softmax − one-hot)/N, from the probabilities the
    /// forward pass kept. It equals <see cref="NllLoss(Tensor, IReadOnlyList{int})"/> of <c>LogSoftmax</c>, which the gradient check confirms.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, IReadOnlyList<int> targets)
    {
        var index = CheckClasses("cross_entropy", logits, targets);
        return CrossEntropy(logits, Tensor.FromArray(Array.ConvertAll(index, i => (long)i)));
    }

    /// <summary>
    /// Cross-entropy of logits against class indices, the mean over the targets not equal to <paramref name="ignoreIndex"/>
    /// (PyTorch's <c>ignore_index</c>, −100 by default) of log Σ e^x − x[target]; an ignored target adds nothing and
    /// gets no gradient, and when every target is ignored the mean is 0/0, NaN, as PyTorch gives. Logits are [N, C] with
    /// targets [N], or [B, T, C] (any number of leading axes) with targets [B, T]: the classes are on the LAST axis, as a
    /// GPT's head gives them, unlike PyTorch's <c>F.cross_entropy</c>, which reads them on axis 1 of an input above two
    /// axes; so this equals the loss of the logits reshaped to [B·T, C] with the targets to [B·T] (nanoGPT's
    /// <c>F.cross_entropy(logits.view(-1, V), targets.view(-1), ignore_index=-1)</c>). The targets are int64 as in
    /// PyTorch, or whole numbers in a float tensor (as a batch's targets come from <see cref="Data.DataLoader"/>), read
    /// where they are, so that a training step copies no targets.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, int ignoreIndex = -100)
    {
        var classIndices = CheckClasses("cross_entropy", logits, targets, ignoreIndex);
        return classIndices.DType == DType.Int64 ? CrossEntropy<long>(logits, classIndices, ignoreIndex) : CrossEntropy<float>(logits, classIndices, ignoreIndex);
    }

    /// <summary>The fused op over checked class indices held as <typeparamref name="TIndex"/>, the classes on the last axis.</summary>
    private static Tensor CrossEntropy<TIndex>(Tensor logits, Tensor classIndices, int ignoreIndex) where TIndex : unmanaged, INumberBase<TIndex>
    {
        var probabilities = Tensor.Empty(logits.Shape, logits.DType);
        int classes = logits.Shape[logits.Rank - 1];
        var loss = logits.DType == DType.Float32
            ? Tensor.Scalar(CrossEntropyKernel.Forward<float, TIndex>(logits.Span<float>(), classes, classIndices.Span<TIndex>(), ignoreIndex, probabilities.Span<float>()), DType.Float32)
            : Tensor.Scalar(CrossEntropyKernel.Forward<double, TIndex>(logits.Span<double>(), classes, classIndices.Span<TIndex>(), ignoreIndex, probabilities.Span<double>()), DType.Float64);
        return Graph.Record("cross_entropy", loss, [logits], (probabilities, classIndices, ignoreIndex), static (s, g) =>
        {
            var grad = Tensor.Empty(s.probabilities.Shape, s.probabilities.DType);
            int classes = grad.Shape[grad.Rank - 1];
            if (grad.DType == DType.Float32) CrossEntropyKernel.Backward<float, TIndex>(s.probabilities.Span<float>(), classes, s.classIndices.Span<TIndex>(), s.ignoreIndex, (float)g.Item(), grad.Span<float>());
            else CrossEntropyKernel.Backward<double, TIndex>(s.probabilities.Span<double>(), classes, s.classIndices.Span<TIndex>(), s.ignoreIndex, g.Item(), grad.Span<double>());
            return [grad];
        });
    }

    /// <summary>
    /// The weight penalty of <paramref name="penalty"/> over every element of <paramref name="weights"/>: λ·Σ|w| for L1,
    /// λ·½·Σw² for L2, a scalar to add to the loss. Built from abs (or pow), sum and mul, so the engine differentiates it:
    /// d/dw = λ·sign(w) for L1, λ·w for L2.
    /// </summary>
    public static Tensor WeightPenalty(IEnumerable<Tensor> weights, Penalty penalty)
    {
        var sums = weights.Select(w => penalty.Kind == PenaltyKind.L1 ? w.Abs().Sum() : w.Pow(2).Sum()).ToList();
        if (sums.Count == 0) throw new ArgumentException("weight_penalty: no weights to penalise");
        return sums.Aggregate((total, sum) => total + sum) * (penalty.Kind == PenaltyKind.L1 ? penalty.Rate : penalty.Rate / 2);
    }

    /// <summary>
    /// Negative log-likelihood: −mean over rows i of logProbs[i, targets[i]], for log-probabilities [N, C].
    /// d/dlogProbs is −1/N at each row's target column and 0 elsewhere.
    /// </summary>
    public static Tensor NllLoss(Tensor logProbs, IReadOnlyList<int> targets)
    {
        var index = CheckClasses("nll_loss", logProbs, targets);
        int rows = logProbs.Shape[0], classes = logProbs.Shape[1];
        var picked = Tensor.Empty(new Shape(rows), logProbs.DType);
        if (logProbs.DType == DType.Float32) Copy.Gather<float>(logProbs.Span<float>(), classes, index, picked.Span<float>());
        else Copy.Gather<double>(logProbs.Span<double>(), classes, index, picked.Span<double>());
        Tensor loss;
        using (new NoGrad()) loss = picked.Mean().Neg();

        return Graph.Record("nll_loss", loss, [logProbs], (logProbs.Shape, logProbs.DType, index), static (s, g) =>
        {
            int rows = s.Shape[0], classes = s.Shape[1];
            var perRow = (g.Neg() / rows).BroadcastTo(new Shape(rows));
            var grad = Tensor.Zeros(s.Shape, s.DType);
            if (grad.DType == DType.Float32) Copy.Scatter<float>(perRow.Span<float>(), classes, s.index, grad.Span<float>());
            else Copy.Scatter<double>(perRow.Span<double>(), classes, s.index, grad.Span<double>());
            return [grad];
        });
    }

    /// <summary>Negative log-likelihood against a tensor [N] of class indices (int64, or whole numbers in a float tensor).</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets)
    {
        if (targets.Rank != 1) throw new ArgumentException($"nll_loss: targets of shape {targets.Shape} for scores of shape {logProbs.Shape}");
        return NllLoss(logProbs, ClassIndex.ToArray("nll_loss", targets));
    }

    /// <summary>The targets as an array, after checking that there is one per row of [N, C] and each names a class.</summary>
    private static int[] CheckClasses(string op, Tensor scores, IReadOnlyList<int> targets)
    {
        if (scores.Rank != 2) throw new ArgumentException($"{op}: expects scores of shape [N,C], got {scores.Shape}");
        scores.RequireFloatingPoint(op);
        int rows = scores.Shape[0], classes = scores.Shape[1];
        if (targets.Count != rows) throw new ArgumentException($"{op}: {targets.Count} targets for {rows} rows of shape {scores.Shape}");
        var index = targets.ToArray();
        for (int i = 0; i < index.Length; i++)
        {
            if (ClassIndex.Problem(index[i], classes) is { } problem) throw new ArgumentException($"{op}: target {index[i]} at row {i} {problem}");
        }
        return index;
    }

    /// <summary>
    /// The targets as they are (int64) or as float32 (from float64), after checking that their shape is the logits' without
    /// the last (class) axis and each names a class or is <paramref name="ignoreIndex"/>.
    /// </summary>
    private static Tensor CheckClasses(string op, Tensor scores, Tensor targets, int ignoreIndex)
    {
        if (scores.Rank < 2) throw new ArgumentException($"{op}: expects scores of shape [N,C] or [B,T,C], got {scores.Shape}");
        scores.RequireFloatingPoint(op);
        int classes = scores.Shape[scores.Rank - 1], rows = scores.Count / Math.Max(classes, 1);
        if (targets.Shape != new Shape(scores.Shape.Dims[..^1])) throw new ArgumentException($"{op}: targets of shape {targets.Shape} for {rows} rows of shape {scores.Shape}");
        var index = targets.DType == DType.Int64 ? targets : targets.To(DType.Float32);
        if (index.DType == DType.Int64) CheckClasses(op, index.Span<long>(), classes, ignoreIndex);
        else CheckClasses(op, index.Span<float>(), classes, ignoreIndex);
        return index;
    }

    /// <summary>Each target names a class below <paramref name="classes"/> or is <paramref name="ignoreIndex"/>; the first that does not is an error naming its row.</summary>
    private static void CheckClasses<TIndex>(string op, ReadOnlySpan<TIndex> targets, int classes, int ignoreIndex) where TIndex : unmanaged, INumberBase<TIndex>
    {
        for (int i = 0; i < targets.Length; i++)
        {
            double value = double.CreateTruncating(targets[i]);
            if (value != ignoreIndex && ClassIndex.Problem(value, classes) is { } problem) throw new ArgumentException($"{op}: target {value.ToString(CultureInfo.InvariantCulture)} at row {i} {problem}");
        }
    }

    private static void RequireSameShape(string op, Tensor prediction, Tensor target)
    {
        if (prediction.Shape != target.Shape)
        {
            throw new ArgumentException($"{op}: prediction shape {prediction.Shape} and target shape {target.Shape} differ");
        }
    }
}

using System.Numerics;
using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// Batch and layer normalisation, as PyTorch's <c>F.batch_norm</c> and <c>F.layer_norm</c>, each one op with its own derivative.
/// </summary>
public static class Normalization
{
    /// <summary>
    /// y = (x − μ_c)/√(σ²_c + eps)·w_c + b_c per channel c (axis 1) of input [N, C, …]. In training μ and σ² are the
    /// batch's mean and biased variance over every axis but 1, and <paramref name="runningMean"/> and
    /// <paramref name="runningVar"/> (when given) move towards them in place by <paramref name="momentum"/>, the variance
    /// unbiased (×M/(M−1), M values per channel), exactly as PyTorch; otherwise the running statistics are used.
    /// Derivative in training, through the batch statistics, with x̂ = (x − μ)/√(σ² + eps) and sums over a channel's M
    /// values: dx = w/√(σ² + eps)·(g − Σg/M − x̂·Σ(g·x̂)/M); otherwise dx = g·w/√(σ² + eps). Always dw = Σ g·x̂, db = Σ g.
    /// </summary>
    public static Tensor BatchNorm(this Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        const string Op = "batch_norm";
        if (input.Rank < 2) throw new ArgumentException($"{Op}: expects input [N,C,...], got shape {input.Shape}");
        input.RequireFloatingPoint(Op);
        int n = input.Shape[0], c = input.Shape[1], l = input.Count / Math.Max(1, n * c);
        foreach (var (tensor, name) in new[] { (runningMean, "running_mean"), (runningVar, "running_var"), (weight, "weight"), (bias, "bias") })
        {
            if (tensor is not null && (tensor.Rank != 1 || tensor.Shape[0] != c))
            {
                throw new ArgumentException($"{Op}: {name} of shape {tensor.Shape} does not fit {c} channels of input {input.Shape}");
            }
        }
        if ((runningMean is null) != (runningVar is null)) throw new ArgumentException($"{Op}: give both running_mean and running_var, or neither");
        if (!training && runningMean is null) throw new ArgumentException($"{Op}: evaluation needs running_mean and running_var");
        if (training && (long)n * l <= 1) throw new ArgumentException($"{Op}: expected more than 1 value per channel when training, got input of shape {input.Shape}");
        weight = weight?.To(input.DType);
        bias = bias?.To(input.DType);
        return input.DType == DType.Float32
            ? Record<float>(input, runningMean, runningVar, weight, bias, training, momentum, eps, n, c, l)
            : Record<double>(input, runningMean, runningVar, weight, bias, training, momentum, eps, n, c, l);
    }

    private static Tensor Record<T>(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum, double eps, int n, int c, int l) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mean = new double[c];
        var variance = new double[c];
        if (training)
        {
            BatchNormKernels.Statistics<T>(input.Span<T>(), n, c, l, mean, variance);
            if (runningMean is not null) UpdateRunningStatistics(runningMean, runningVar!, mean, variance, momentum, (double)n * l);
        }
        else
        {
            runningMean!.ToDoubleArray().CopyTo(mean, 0);
            runningVar!.ToDoubleArray().CopyTo(variance, 0);
        }
        var invStd = variance.Select(v => 1 / Math.Sqrt(v + eps)).ToArray();
        var w = weight?.ToDoubleArray();
        var b = bias?.ToDoubleArray();
        var scale = new double[c];
        var shift = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = invStd[ch] * (w?[ch] ?? 1);
            shift[ch] = (b?[ch] ?? 0) - mean[ch] * scale[ch];
        }
        var y = Tensor.Empty(input.Shape, input.DType);
        BatchNormKernels.Affine<T>(input.Span<T>(), n, c, l, scale, shift, y.Span<T>());

        Tensor[] inputs = [input, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return Graph.Record("batch_norm", y, inputs, new Saved(input, weight, bias, training, n, c, l, mean, invStd, scale),
            static (s, gradient) => Backward<T>(s, gradient));
    }

    /// <summary>What backward reads: the operands, the sizes, and the statistics forward computed.</summary>
    private readonly record struct Saved(Tensor Input, Tensor? Weight, Tensor? Bias, bool Training, int N, int C, int L,
        double[] Mean, double[] InvStd, double[] Scale);

    private static Tensor?[] Backward<T>(Saved saved, Tensor gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (input, weight, bias, training, n, c, l, mean, invStd, scale) = saved;
        var sumG = new double[c];
        var sumGX = new double[c];
        BatchNormKernels.GradientSums<T>(gradient.Span<T>(), input.Span<T>(), n, c, l, mean, sumG, sumGX);
        Tensor? dx = null;
        if (input.RequiresGrad)
        {
            double count = (double)n * l;
            var a = new double[c];
            var slope = new double[c];
            var offset = new double[c];
            for (int ch = 0; ch < c; ch++)
            {
                a[ch] = scale[ch];
                if (!training) continue; // the running statistics are constants: dx = g·w/√(σ² + eps)
                slope[ch] = -scale[ch] * invStd[ch] * invStd[ch] * sumGX[ch] / count;
                offset[ch] = -a[ch] * sumG[ch] / count - slope[ch] * mean[ch];
            }
            dx = Tensor.Empty(input.Shape, input.DType);
            BatchNormKernels.Affine<T>(gradient.Span<T>(), input.Span<T>(), n, c, l, a, slope, offset, dx.Span<T>());
        }
        var grads = new List<Tensor?> { dx };
        if (weight is not null) grads.Add(weight.RequiresGrad ? Vector(sumGX.Select((s, ch) => s * invStd[ch]), input.DType) : null);
        if (bias is not null) grads.Add(bias.RequiresGrad ? Vector(sumG, input.DType) : null);
        return [.. grads];
    }

    /// <summary>
    /// y = (x − μ)/√(σ² + eps)·w + b, μ and σ² the mean and biased variance of each group of the last k axes of x, whose
    /// sizes are <paramref name="normalizedShape"/>; w and b (each optional) have that shape. As PyTorch's <c>F.layer_norm</c>.
    /// Derivative, with x̂ = (x − μ)/√(σ² + eps), ĝ = g·w and means over a group's M values:
    /// dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/√(σ² + eps); dw = Σ g·x̂ and db = Σ g over the leading axes.
    /// </summary>
    public static Tensor LayerNorm(this Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        const string Op = "layer_norm";
        input.RequireFloatingPoint(Op);
        var normalized = new Shape(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || k > input.Rank || !input.Shape.Dims[(input.Rank - k)..].SequenceEqual(normalizedShape))
        {
            throw new ArgumentException($"{Op}: normalized_shape {normalized} is not the last axes of input {input.Shape}");
        }
        foreach (var (tensor, name) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (tensor is not null && tensor.Shape != normalized)
            {
                throw new ArgumentException($"{Op}: {name} of shape {tensor.Shape} is not normalized_shape {normalized}");
            }
        }
        weight = weight?.To(input.DType);
        bias = bias?.To(input.DType);
        int m = normalized.NumElements, rows = input.Count / Math.Max(1, m);
        return input.DType == DType.Float32
            ? RecordLayerNorm<float>(input, weight, bias, eps, rows, m)
            : RecordLayerNorm<double>(input, weight, bias, eps, rows, m);
    }

    private static Tensor RecordLayerNorm<T>(Tensor input, Tensor? weight, Tensor? bias, double eps, int rows, int m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xHat = Tensor.Empty(input.Shape, input.DType);
        var invStd = new double[rows];
        LayerNormKernels.Normalize<T>(input.Span<T>(), rows, m, eps, xHat.Span<T>(), invStd);
        var y = Tensor.Empty(input.Shape, input.DType);
        LayerNormKernels.Affine<T>(xHat.Span<T>(), SpanOrEmpty<T>(weight), SpanOrEmpty<T>(bias), rows, m, y.Span<T>());

        Tensor[] inputs = [input, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return Graph.Record("layer_norm", y, inputs, new LayerNormSaved(input, weight, bias, xHat, invStd, rows, m),
            static (s, gradient) => LayerNormBackward<T>(s, gradient));
    }

    /// <summary>What layer normalisation's backward reads: the operands, x̂ and each group's 1/√(σ² + eps).</summary>
    private readonly record struct LayerNormSaved(Tensor Input, Tensor? Weight, Tensor? Bias, Tensor XHat, double[] InvStd, int Rows, int M);

    private static Tensor?[] LayerNormBackward<T>(LayerNormSaved saved, Tensor gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (input, weight, bias, xHat, invStd, rows, m) = saved;
        Tensor? dx = null;
        if (input.RequiresGrad)
        {
            dx = Tensor.Empty(input.Shape, input.DType);
            LayerNormKernels.InputGradient<T>(gradient.Span<T>(), xHat.Span<T>(), SpanOrEmpty<T>(weight), rows, m, invStd, new T[m], dx.Span<T>());
        }
        var dw = weight?.RequiresGrad == true ? new double[m] : [];
        var db = bias?.RequiresGrad == true ? new double[m] : [];
        LayerNormKernels.AffineGradients<T>(gradient.Span<T>(), xHat.Span<T>(), rows, m, dw, db);
        var grads = new List<Tensor?> { dx };
        if (weight is not null) grads.Add(weight.RequiresGrad ? Vector(dw, input.DType).ReshapeTo(weight.Shape) : null);
        if (bias is not null) grads.Add(bias.RequiresGrad ? Vector(db, input.DType).ReshapeTo(bias.Shape) : null);
        return [.. grads];
    }

    private static Span<T> SpanOrEmpty<T>(Tensor? tensor) where T : unmanaged => tensor is null ? Span<T>.Empty : tensor.Span<T>();

    /// <summary>running ← (1 − momentum)·running + momentum·batch, in place, the variance made unbiased (PyTorch's update).</summary>
    private static void UpdateRunningStatistics(Tensor runningMean, Tensor runningVar, double[] mean, double[] variance, double momentum, double count)
    {
        var oldMean = runningMean.ToDoubleArray();
        var oldVar = runningVar.ToDoubleArray();
        var newMean = new double[mean.Length];
        var newVar = new double[mean.Length];
        for (int ch = 0; ch < mean.Length; ch++)
        {
            newMean[ch] = (1 - momentum) * oldMean[ch] + momentum * mean[ch];
            newVar[ch] = (1 - momentum) * oldVar[ch] + momentum * variance[ch] * count / (count - 1);
        }
        using var _ = new NoGrad();
        runningMean.CopyInPlace(Tensor.FromArray(newMean));
        runningVar.CopyInPlace(Tensor.FromArray(newVar));
    }

    private static Tensor Vector(IEnumerable<double> values, DType dtype) => Tensor.FromArray(values.ToArray()).To(dtype);
}

using Backprop.NN;

namespace Backprop.Explain;

/// <summary>
/// Batch normalisation in training mode, n = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), μ and σ² the batch's mean and (biased)
/// variance per channel. Because μ and σ² depend on every x, the input's gradient runs through them as well:
/// dC/dx = γ/√(σ² + ε) · (dC/dn − mean(dC/dn) − x̂ · mean(dC/dn · x̂)); dC/dγ = Σ dC/dn · x̂ and dC/dβ = Σ dC/dn.
/// </summary>
internal sealed class BatchNormNarrator(int index, BatchNormBase norm) : LayerNarrator(index)
{
    public override string Letter => "n";

    public override string Forward(string output, string input, Tensor inputValue, Tensor outputValue) =>
        $"{output} = batch_norm({input}) = {(norm.Affine ? $"γ{Index}·" : "")}({input} − μ)/√(σ² + {Format(norm.Eps)}){(norm.Affine ? $" + β{Index}" : "")} = {List(outputValue)}    " +
        $"(μ, σ²: each channel's mean and variance over the batch{(norm.Affine ? $"; γ{Index} is {Index}.weight, β{Index} is {Index}.bias" : "; no γ, β")})";

    public override NetworkExplanation.Step Backward(string output, string input, Tensor outputValue, Tensor inputValue)
    {
        int channels = norm.NumFeatures, perChannel = inputValue.Count / channels, inner = inputValue.Rank > 2 ? inputValue.Count / inputValue.Shape[0] / channels : 1;
        var x = inputValue.ToDoubleArray();
        var g = outputValue.Grad!.ToDoubleArray();
        var gamma = norm.Weight?.ToDoubleArray();
        var weightGrad = norm.Weight?.Grad?.ToDoubleArray();
        var biasGrad = norm.Bias?.Grad?.ToDoubleArray();
        var lines = new List<string>
        {
            $"dC/d{input} = γ/√(σ² + ε) · (dC/d{output} − mean(dC/d{output}) − x̂ · mean(dC/d{output} · x̂)), per channel: the batch statistics carry every value's gradient to the others",
        };
        for (int c = 0; c < Math.Min(channels, NetworkExplanation.MaxTermsPerTensor); c++)
        {
            // The values of channel c over the batch and its positions.
            var at = Enumerable.Range(0, perChannel).Select(k => k / inner * channels * inner + c * inner + k % inner).ToArray();
            double mean = at.Average(k => x[k]);
            double variance = at.Average(k => (x[k] - mean) * (x[k] - mean));
            double scale = (gamma?[c] ?? 1) / Math.Sqrt(variance + norm.Eps);
            var normalised = at.Select(k => (x[k] - mean) / Math.Sqrt(variance + norm.Eps)).ToArray();
            double meanUpstream = at.Average(k => g[k]);
            double meanProduct = at.Select((k, i) => g[k] * normalised[i]).Average();
            string parameters = weightGrad is null ? "" : $"; dC/dγ{Index}[{c}] = Σ dC/d{output}·x̂ = {Format(weightGrad[c])}, dC/dβ{Index}[{c}] = Σ dC/d{output} = {Format(biasGrad![c])}";
            lines.Add($"channel {c}: μ = {Format(mean)}, σ² = {Format(variance)}, γ/√(σ² + ε) = {Format(scale)}, mean(dC/d{output}) = {Format(meanUpstream)}, " +
                $"mean(dC/d{output}·x̂) = {Format(meanProduct)}{parameters}");
        }
        if (channels > NetworkExplanation.MaxTermsPerTensor) lines.Add($"… and so on for the other {channels - NetworkExplanation.MaxTermsPerTensor} channels");
        if (inputValue.Grad is { } inputGrad) lines.Add(Summary($"dC/d{input}", inputGrad));
        return new($"{outputValue.GradFn!.Name} (layer {Index}): {output} = batch_norm({input})", lines, []);
    }
}

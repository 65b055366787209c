using Backprop.Autograd;

namespace Backprop.Optim;

/// <summary>Gradient clipping between backward and the optimizer's step, as PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class ClipGrad
{
    /// <summary>
    /// Rescales the gradients so that their total norm is at most <paramref name="maxNorm"/>, PyTorch's rule: the
    /// <paramref name="normType"/>-norm of all gradients taken as one vector (the largest |g| for infinity), then
    /// every gradient multiplied by min(1, max_norm / (total_norm + 10⁻⁶)). Parameters without a gradient are skipped.
    /// PyTorch multiplies by the clamped coefficient always; multiplying only when it is below 1 gives the same values.
    /// </summary>
    /// <returns>The total norm before clipping.</returns>
    public static double Norm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        if (!(maxNorm >= 0) || !double.IsFinite(maxNorm)) throw new ArgumentException($"clip_grad_norm: max norm must be zero or positive, got {maxNorm}");
        if (!(normType > 0)) throw new ArgumentException($"clip_grad_norm: norm type must be positive or infinity, got {normType}");
        using var _ = new NoGrad();
        Tensor[] gradients = [.. parameters.Select(p => p.Grad).OfType<Tensor>()];
        double totalNorm = 0;
        if (double.IsPositiveInfinity(normType))
        {
            foreach (var g in gradients) if (g.Count > 0) totalNorm = Math.Max(totalNorm, g.Abs().Max().Item());
        }
        else
        {
            // Σ|g|ᵖ over every gradient, then the p-th root: the norm of the per-tensor norms PyTorch takes, in one sum.
            foreach (var g in gradients) totalNorm += g.Abs().Pow(normType).Sum().Item();
            totalNorm = Math.Pow(totalNorm, 1 / normType);
        }
        double clipCoefficient = maxNorm / (totalNorm + 1e-6);
        if (clipCoefficient < 1)
        {
            foreach (var g in gradients) g.MulInPlace(clipCoefficient);
        }
        return totalNorm;
    }
}

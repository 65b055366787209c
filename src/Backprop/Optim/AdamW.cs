namespace Backprop.Optim;

/// <summary>
/// AdamW, PyTorch's <c>torch.optim.AdamW</c>: Adam whose weight decay shrinks the weights directly, w ← w·(1 − r·λ),
/// before the Adam step, instead of adding λ·w to the gradient. PyTorch's default λ is 0.01.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double learningRate = Adam.DefaultLearningRate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
    double weightDecay = AdamW.DefaultWeightDecay)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true)
{
    /// <summary>PyTorch's default weight decay λ for AdamW (Adam's is 0).</summary>
    public const double DefaultWeightDecay = 0.01;
}

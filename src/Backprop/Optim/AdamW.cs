namespace Backprop.Optim;

/// <summary>
/// AdamW, PyTorch's <c>torch.optim.AdamW</c>: Adam whose weight decay shrinks the weights directly, w ← w·(1 − r·λ),
/// before the Adam step, instead of adding λ·w to the gradient. PyTorch's default λ is 0.01.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true);

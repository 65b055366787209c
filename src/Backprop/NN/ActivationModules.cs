namespace Backprop.NN;

// The activation layers under PyTorch's names, so `new ReLU()` reads as `nn.ReLU()` does. Those with a parameter
// (LeakyReLU, ELU, GELU) have files of their own.

/// <summary>max(z, 0), as <c>nn.ReLU</c>.</summary>
public sealed class ReLU() : ActivationModule(Activation.ReLU);

/// <summary>1 / (1 + e^(−z)), as <c>nn.Sigmoid</c>.</summary>
public sealed class Sigmoid() : ActivationModule(Activation.Sigmoid);

/// <summary>tanh(z), as <c>nn.Tanh</c>.</summary>
public sealed class Tanh() : ActivationModule(Activation.Tanh);

/// <summary>z·σ(z), as <c>nn.SiLU</c>.</summary>
public sealed class SiLU() : ActivationModule(Activation.SiLU);

/// <summary>ln(1 + eᶻ), as <c>nn.Softplus</c>.</summary>
public sealed class Softplus() : ActivationModule(Activation.Softplus);

/// <summary>z unchanged, as <c>nn.Identity</c>.</summary>
public sealed class Identity() : ActivationModule(Activation.Identity);

/// <summary>1 for z ≥ 0, else 0: the article's step function (torch.nn has none); it passes no gradient.</summary>
public sealed class BinaryStep() : ActivationModule(Activation.BinaryStep);

namespace Backprop.NN;

/// <summary>The activation functions a neuron can apply to its weighted sum; see the matching ops on <see cref="Tensor"/>.</summary>
public enum Activation
{
    /// <summary>a = z (no activation).</summary>
    Identity,

    /// <summary>1 for z ≥ 0, else 0; passes no gradient.</summary>
    BinaryStep,

    /// <summary>1 / (1 + e^(−z)).</summary>
    Sigmoid,

    /// <summary>tanh(z).</summary>
    Tanh,

    /// <summary>max(z, 0).</summary>
    ReLU,

    /// <summary>z, or 0.01·z below 0.</summary>
    LeakyReLU,

    /// <summary>z, or eᶻ − 1 below 0.</summary>
    ELU,

    /// <summary>z·Φ(z).</summary>
    GELU,

    /// <summary>z·σ(z).</summary>
    SiLU,

    /// <summary>ln(1 + eᶻ).</summary>
    Softplus,
}

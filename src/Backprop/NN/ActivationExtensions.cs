namespace Backprop.NN;

/// <summary>Applies an <see cref="Activation"/> by calling its op.</summary>
public static class ActivationExtensions
{
    /// <summary>f(z) for the activation f, with PyTorch's default parameters.</summary>
    public static Tensor Apply(this Activation activation, Tensor z) => activation switch
    {
        Activation.Identity => z.Identity(),
        Activation.BinaryStep => z.BinaryStep(),
        Activation.Sigmoid => z.Sigmoid(),
        Activation.Tanh => z.Tanh(),
        Activation.ReLU => z.Relu(),
        Activation.LeakyReLU => z.LeakyRelu(),
        Activation.ELU => z.Elu(),
        Activation.GELU => z.Gelu(),
        Activation.SiLU => z.Silu(),
        Activation.Softplus => z.Softplus(),
        _ => throw new ArgumentException($"activation: {activation} is not a known activation"),
    };
}

namespace Backprop.NN;

/// <summary>The activations' names on the command line and in model files: lower case, words joined by hyphens.</summary>
public static class ActivationNames
{
    private static readonly Dictionary<string, Activation> ByName = new()
    {
        ["identity"] = Activation.Identity,
        ["binary-step"] = Activation.BinaryStep,
        ["sigmoid"] = Activation.Sigmoid,
        ["tanh"] = Activation.Tanh,
        ["relu"] = Activation.ReLU,
        ["leaky-relu"] = Activation.LeakyReLU,
        ["elu"] = Activation.ELU,
        ["gelu"] = Activation.GELU,
        ["silu"] = Activation.SiLU,
        ["softplus"] = Activation.Softplus,
    };

    /// <summary>Every name, in a stable order.</summary>
    public static IReadOnlyCollection<string> All => ByName.Keys;

    /// <summary>The activation called <paramref name="name"/>, or an error listing the names.</summary>
    public static Activation Parse(string name) =>
        ByName.TryGetValue(name.ToLowerInvariant(), out var activation)
            ? activation
            : throw new ArgumentException($"activation: unknown '{name}' (expected one of {string.Join(", ", ByName.Keys)})");

    /// <summary>The name of <paramref name="activation"/>.</summary>
    public static string Name(Activation activation) => ByName.First(p => p.Value == activation).Key;
}

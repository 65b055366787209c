using Backprop.NN;

namespace Backprop.Playground.Core;

/// <summary>The activations the playground offers, with their URL keys (TensorFlow Playground's, and Backprop's names for the rest).</summary>
public static class PlaygroundActivations
{
    /// <summary>TensorFlow Playground's name for the identity activation.</summary>
    private const string Linear = "linear";

    /// <summary>Every activation offered, in the order the page lists them.</summary>
    public static IReadOnlyList<Activation> All { get; } =
        [Activation.ReLU, Activation.Tanh, Activation.Sigmoid, Activation.Identity, Activation.LeakyReLU, Activation.ELU, Activation.GELU, Activation.SiLU];

    /// <summary>The URL key: relu, tanh, sigmoid, linear, leaky-relu, elu, gelu, silu.</summary>
    public static string Key(Activation activation) => activation == Activation.Identity ? Linear : activation.Name;

    /// <summary>The activation a URL key names, or an <see cref="ArgumentException"/> listing the keys.</summary>
    public static Activation Parse(string key)
    {
        var activation = key == Linear ? Activation.Identity : Activation.Parse(key);
        return All.Contains(activation) ? activation : throw new ArgumentException($"activation: '{key}' is not offered (expected one of {string.Join(", ", All.Select(Key))})");
    }

    /// <summary>The name shown on the page: ReLU, Tanh, …, Linear.</summary>
    public static string Label(Activation activation) => activation == Activation.Identity ? "Linear" : activation.ClassName;
}

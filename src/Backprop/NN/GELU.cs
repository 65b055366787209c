namespace Backprop.NN;

/// <summary>
/// z·Φ(z), as <c>nn.GELU(approximate='none')</c>; with <c>approximate: "tanh"</c> the tanh form GPT-2 uses,
/// z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))/2 (see <see cref="Activations.GeluTanh"/>).
/// </summary>
public sealed class GELU : ActivationModule
{
    /// <summary>The values <c>approximate</c> takes, as PyTorch's.</summary>
    internal static readonly string[] Approximations = ["none", "tanh"];

    /// <summary>A GELU layer; <paramref name="approximate"/> is "none" (exact) or "tanh", anything else an error.</summary>
    public GELU(string approximate = "none") : base(Activation.GELU)
    {
        if (!Approximations.Contains(approximate)) throw new ArgumentException($"GELU: approximate must be 'none' or 'tanh', got '{approximate}'");
        Approximate = approximate;
    }

    /// <summary>"none" for the exact form, "tanh" for the tanh form (PyTorch's <c>approximate</c>).</summary>
    public string Approximate { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Approximate == "tanh" ? input.GeluTanh() : input.Gelu();
}

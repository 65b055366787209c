using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// In training mode, zeroes each element with probability p and scales the rest by 1/(1 − p), so the expected value is
/// unchanged (inverted dropout, as <c>nn.Dropout</c>); in evaluation mode, passes the input through.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator generator;

    /// <summary>Dropout with probability <paramref name="p"/> in [0, 1), drawing its masks from <paramref name="generator"/>.</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentException($"dropout: probability must be in [0, 1), got {p}");
        P = p;
        this.generator = generator ?? Generator.Default;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!IsTraining || P == 0) return input;
        Tensor mask;
        using (new NoGrad()) mask = (Tensor.Rand(input.Shape, generator, input.DType) - P).BinaryStep() * (1 / (1 - P)); // 1/(1−p) where u ≥ p
        return input * mask;
    }
}

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
        P = CheckProbability("dropout", p);
        this.generator = generator ?? Generator.Default;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        return !IsTraining || P == 0 ? input : Drop(input, input.Shape, P, generator);
    }

    /// <summary>A dropout probability, or an error naming <paramref name="op"/> when it is not in [0, 1).</summary>
    internal static double CheckProbability(string op, double p) =>
        p >= 0 && p < 1 ? p : throw new ArgumentException($"{op}: probability must be in [0, 1), got {p}");

    /// <summary>
    /// <paramref name="input"/> times a mask of <paramref name="maskShape"/> (broadcast over the rest): 0 with probability
    /// <paramref name="p"/>, else 1/(1 − p), drawn from <paramref name="generator"/>.
    /// </summary>
    internal static Tensor Drop(Tensor input, Shape maskShape, double p, Generator generator)
    {
        Tensor mask;
        using (new NoGrad()) mask = (Tensor.Rand(maskShape, generator, input.DType) - p).BinaryStep() * (1 / (1 - p)); // 1/(1−p) where u ≥ p
        return input * mask;
    }
}

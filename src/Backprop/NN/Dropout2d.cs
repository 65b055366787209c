namespace Backprop.NN;

/// <summary>
/// Channel dropout, as PyTorch's <c>nn.Dropout2d(p=0.5)</c>: in training mode, zeroes each whole channel of input
/// [N, C, H, W] with probability p and scales the others by 1/(1 − p) (input [N, C, L] is taken channel by channel
/// likewise, as PyTorch 1.13 does); in evaluation mode, passes the input through.
/// </summary>
public sealed class Dropout2d : Module
{
    private readonly Generator generator;

    /// <summary>Channel dropout with probability <paramref name="p"/> in [0, 1), drawing its masks from <paramref name="generator"/>.</summary>
    public Dropout2d(double p = 0.5, Generator? generator = null)
    {
        P = Dropout.CheckProbability("dropout2d", p);
        this.generator = generator ?? Generator.Default;
    }

    /// <summary>The probability of zeroing a channel.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank is not (3 or 4)) throw new ArgumentException($"dropout2d: expects input [N,C,H,W] or [N,C,L], got shape {input.Shape}");
        if (!IsTraining || P == 0) return input;
        Shape maskShape = input.Rank == 4 ? [input.Shape[0], input.Shape[1], 1, 1] : [input.Shape[0], input.Shape[1], 1];
        return Dropout.Drop(input, maskShape, P, generator); // one draw per channel
    }
}

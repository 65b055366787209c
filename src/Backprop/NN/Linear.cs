namespace Backprop.NN;

/// <summary>
/// A fully connected layer, y = x·Wᵀ + b, with weight [out, in] and bias [out] as PyTorch's <c>nn.Linear</c>, initialised
/// as PyTorch does: weight and bias uniform in ±1/√in (Kaiming-uniform with a = √5 reduces to that bound).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, with a bias unless told otherwise.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (inFeatures < 1 || outFeatures < 1)
        {
            throw new ArgumentException($"linear: sizes must be at least 1, got {inFeatures} in and {outFeatures} out");
        }
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform([outFeatures, inFeatures], -bound, bound, generator, dtype));
        Bias = bias ? RegisterParameter("bias", Tensor.Uniform([outFeatures], -bound, bound, generator, dtype)) : null;
    }

    /// <summary>Number of inputs.</summary>
    public int InFeatures { get; }

    /// <summary>Number of outputs.</summary>
    public int OutFeatures { get; }

    /// <summary>W, shape [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>b, shape [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);
}

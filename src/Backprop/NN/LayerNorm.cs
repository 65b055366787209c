namespace Backprop.NN;

/// <summary>
/// Layer normalisation over the last axes of each input, as PyTorch's <c>nn.LayerNorm</c>: those axes' sizes are
/// <see cref="NormalizedShape"/>; with elementwise affine, a weight (ones) and, unless told otherwise, a bias (zeros) of that
/// shape. See <see cref="Normalization.LayerNorm"/>.
/// </summary>
public sealed class LayerNorm : Module
{
    private readonly int[] normalizedShape;

    /// <summary>A layer normalising the last axes, whose sizes are <paramref name="normalizedShape"/>, with PyTorch's defaults.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(size => size < 1))
        {
            throw new ArgumentException($"LayerNorm: normalized_shape needs at least one axis, each of size at least 1, got [{string.Join(", ", normalizedShape)}]");
        }
        if (dtype == DType.Int64) throw new ArgumentException($"LayerNorm: normalises floating-point values; {dtype} is not a floating-point dtype");
        this.normalizedShape = [.. normalizedShape];
        Eps = eps;
        Weight = elementwiseAffine ? RegisterParameter("weight", Tensor.Ones(new Shape(normalizedShape), dtype)) : null;
        Bias = elementwiseAffine && bias ? RegisterParameter("bias", Tensor.Zeros(new Shape(normalizedShape), dtype)) : null;
    }

    /// <summary>The sizes of the normalised last axes.</summary>
    public IReadOnlyList<int> NormalizedShape => normalizedShape;

    /// <summary>Added to the variance before its square root.</summary>
    public double Eps { get; }

    /// <summary>γ, of shape <see cref="NormalizedShape"/> (PyTorch's <c>weight</c>), or null without elementwise affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, of shape <see cref="NormalizedShape"/> (PyTorch's <c>bias</c>), or null without elementwise affine or bias.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LayerNorm(normalizedShape, Weight, Bias, Eps);
}

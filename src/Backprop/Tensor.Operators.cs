
namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>Element-wise product with broadcasting (for the matrix product use <c>MatMul</c>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>Element-wise negation.</summary>
    public static Tensor operator -(Tensor x) => x.Neg();

    /// <summary>Adds a constant, kept in the tensor's dtype.</summary>
    public static Tensor operator +(Tensor a, double b) => a.Add(Scalar(b, a.DType));

    /// <summary>Adds to a constant, kept in the tensor's dtype.</summary>
    public static Tensor operator +(double a, Tensor b) => Scalar(a, b.DType).Add(b);

    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, double b) => a.Sub(Scalar(b, a.DType));

    /// <summary>Subtracts from a constant.</summary>
    public static Tensor operator -(double a, Tensor b) => Scalar(a, b.DType).Sub(b);

    /// <summary>Multiplies by a constant.</summary>
    public static Tensor operator *(Tensor a, double b) => a.Mul(Scalar(b, a.DType));

    /// <summary>Multiplies a constant by a tensor.</summary>
    public static Tensor operator *(double a, Tensor b) => Scalar(a, b.DType).Mul(b);

    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, double b) => a.Div(Scalar(b, a.DType));

    /// <summary>Divides a constant by a tensor.</summary>
    public static Tensor operator /(double a, Tensor b) => Scalar(a, b.DType).Div(b);
}

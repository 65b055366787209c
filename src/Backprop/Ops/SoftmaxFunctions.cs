using Backprop.Autograd;

namespace Backprop;

/// <summary>Softmax and log-softmax along an axis, computed stably (the maximum is subtracted first).</summary>
public static class SoftmaxFunctions
{
    /// <summary>
    /// y = e^(x − max) / Σ e^(x − max) along <paramref name="axis"/>. Jacobian-vector product:
    /// dx = y ⊙ (g − Σ g⊙y), the sum taken along the axis.
    /// </summary>
    public static Tensor Softmax(this Tensor x, int axis = -1)
    {
        x.RequireFloatingPoint("softmax");
        Tensor y;
        using (new NoGrad())
        {
            var e = (x - x.Max(axis, keepDims: true)).Exp();
            y = e / e.Sum(axis, keepDims: true);
        }
        return Graph.Record("softmax", y, [x], (y, axis), static (s, g) => [s.y * (g - (g * s.y).Sum(s.axis, keepDims: true))]);
    }

    /// <summary>
    /// y = x − max − ln Σ e^(x − max) along <paramref name="axis"/>. Jacobian-vector product: dx = g − softmax(x)·Σ g.
    /// </summary>
    public static Tensor LogSoftmax(this Tensor x, int axis = -1)
    {
        x.RequireFloatingPoint("log_softmax");
        Tensor y;
        using (new NoGrad())
        {
            var shifted = x - x.Max(axis, keepDims: true);
            y = shifted - shifted.Exp().Sum(axis, keepDims: true).Log();
        }
        return Graph.Record("log_softmax", y, [x], (y, axis), static (s, g) => [g - s.y.Exp() * g.Sum(s.axis, keepDims: true)]);
    }
}

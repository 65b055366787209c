using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// An element-wise function d = f(a, b) in the three forms broadcasting needs: both operands vectors,
/// or one of them a single value repeated along the vector.
/// </summary>
internal interface IBinaryKernel
{
    void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;

    void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;

    void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

using System.Numerics;

namespace Backprop.Kernels;

/// <summary>An element-wise function y = f(x) over spans of equal length, for float and double alike.</summary>
internal interface IUnaryKernel
{
    void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

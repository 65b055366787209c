using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// Average and adaptive-average pooling over planes [planes, H, W], and their adjoints, with PyTorch's window rules:
/// windows start at o·stride − pad and are clipped to the input; adaptive windows run from ⌊o·H/OH⌋ to ⌈(o+1)·H/OH⌉.
/// </summary>
internal static class AvgPoolKernels
{
    /// <summary>
    /// y = the sum of each window's values over its divisor: the whole window, padding included, when
    /// <paramref name="countIncludePad"/> (PyTorch's default), else only the input values it covers.
    /// With <paramref name="backward"/>, the adjoint instead: <paramref name="x"/> is the output's gradient and
    /// <paramref name="y"/> the input's, each window's gradient over its divisor added to every value it covers.
    /// </summary>
    public static void Average<T>(ReadOnlySpan<T> x, in Pool2dGeometry g, bool countIncludePad, bool backward, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (backward) y.Clear();
        int plane = g.H * g.W;
        for (int p = 0; p < g.Planes; p++)
        {
            for (int oh = 0; oh < g.OH; oh++)
            {
                var (h0, h1) = g.Rows(oh);
                int paddedH = Math.Min(oh * g.StrideH - g.PadH + g.KH, g.H + g.PadH) - (oh * g.StrideH - g.PadH);
                for (int ow = 0; ow < g.OW; ow++)
                {
                    var (w0, w1) = g.Columns(ow);
                    int paddedW = Math.Min(ow * g.StrideW - g.PadW + g.KW, g.W + g.PadW) - (ow * g.StrideW - g.PadW);
                    int divisor = countIncludePad ? paddedH * paddedW : (h1 - h0) * (w1 - w0);
                    int o = (p * g.OH + oh) * g.OW + ow;
                    WindowSum(x, y, p * plane, g.W, h0, h1, w0, w1, o, divisor, 1, backward);
                }
            }
        }
    }

    /// <summary>
    /// Adaptive average pooling to OH × OW (strides and pads of <paramref name="g"/> unused): each output averages the
    /// input window ⌊o·H/OH⌋ ≤ h &lt; ⌈(o+1)·H/OH⌉ (likewise for w). With <paramref name="backward"/>, its adjoint, as
    /// <see cref="Average{T}"/>.
    /// </summary>
    public static void AdaptiveAverage<T>(ReadOnlySpan<T> x, in Pool2dGeometry g, bool backward, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (backward) y.Clear();
        int plane = g.H * g.W;
        for (int p = 0; p < g.Planes; p++)
        {
            for (int oh = 0; oh < g.OH; oh++)
            {
                int h0 = oh * g.H / g.OH, h1 = ((oh + 1) * g.H + g.OH - 1) / g.OH;
                for (int ow = 0; ow < g.OW; ow++)
                {
                    int w0 = ow * g.W / g.OW, w1 = ((ow + 1) * g.W + g.OW - 1) / g.OW;
                    int o = (p * g.OH + oh) * g.OW + ow;
                    WindowSum(x, y, p * plane, g.W, h0, h1, w0, w1, o, h1 - h0, w1 - w0, backward);
                }
            }
        }
    }

    /// <summary>
    /// Forward: y[o] = Σ window of x / a / b. Backward: window of y += x[o] / a / b. (Divided, not multiplied by a
    /// reciprocal, in PyTorch's order, so float32 results round as PyTorch's do.)
    /// </summary>
    private static void WindowSum<T>(ReadOnlySpan<T> x, Span<T> y, int planeStart, int width, int h0, int h1, int w0, int w1, int o, int a, int b, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T divisorA = T.CreateTruncating(a), divisorB = T.CreateTruncating(b);
        if (backward)
        {
            T share = x[o] / divisorA / divisorB;
            for (int h = h0; h < h1; h++)
            {
                for (int w = w0; w < w1; w++) y[planeStart + h * width + w] += share;
            }
            return;
        }
        T sum = T.Zero;
        for (int h = h0; h < h1; h++)
        {
            for (int w = w0; w < w1; w++) sum += x[planeStart + h * width + w];
        }
        y[o] = sum / divisorA / divisorB;
    }
}

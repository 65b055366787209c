namespace Backprop.Kernels;

/// <summary>
/// The sizes of one 2-D pooling: <see cref="Planes"/> input planes (batch × channels) of H × W, a window of KH × KW moved
/// by the strides over the input with <see cref="PadH"/> and <see cref="PadW"/> added on each side, giving OH × OW outputs
/// per plane.
/// </summary>
internal readonly record struct Pool2dGeometry(int Planes, int H, int W, int KH, int KW, int StrideH, int StrideW, int PadH, int PadW, int OH, int OW)
{
    /// <summary>Outputs per plane.</summary>
    public int L => OH * OW;

    /// <summary>The input rows [start, end) that output row <paramref name="oh"/>'s window covers, clipped to the input.</summary>
    public (int Start, int End) Rows(int oh) => Clip(oh, StrideH, PadH, KH, H);

    /// <summary>The input columns [start, end) that output column <paramref name="ow"/>'s window covers, clipped to the input.</summary>
    public (int Start, int End) Columns(int ow) => Clip(ow, StrideW, PadW, KW, W);

    private static (int Start, int End) Clip(int o, int stride, int pad, int kernel, int size)
    {
        int start = o * stride - pad;
        return (Math.Max(start, 0), Math.Min(start + kernel, size));
    }
}

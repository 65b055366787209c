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
}

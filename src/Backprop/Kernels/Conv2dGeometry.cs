namespace Backprop.Kernels;

/// <summary>
/// The sizes of one 2-D convolution: input [N, C, H, W], weight [O, C/G, KH, KW], output [N, O, OH, OW], with strides,
/// the zeros added above (<see cref="PadTop"/>) and left (<see cref="PadLeft"/>) of the input (those below and right
/// are implied by the output size), dilations and groups.
/// </summary>
internal readonly record struct Conv2dGeometry(
    int N, int C, int H, int W, int O, int KH, int KW, int StrideH, int StrideW, int PadTop, int PadLeft,
    int DilationH, int DilationW, int Groups, int OH, int OW)
{
    /// <summary>Output positions per example and channel.</summary>
    public int L => OH * OW;

    /// <summary>Output positions over the whole batch: the columns of the unfolded input.</summary>
    public int NL => N * OH * OW;

    /// <summary>Rows of the unfolded input (and columns of the weight matrix) per group: C/G · KH · KW.</summary>
    public int GroupRows => C / Groups * KH * KW;

    /// <summary>Output channels per group.</summary>
    public int GroupOutputs => O / Groups;
}

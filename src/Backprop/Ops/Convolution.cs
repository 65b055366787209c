using System.Numerics;
using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// 2-D convolution (PyTorch's cross-correlation, <c>F.conv2d</c>) as matrix products, a chunk of examples at a time
/// (<see cref="Conv2dChunks"/>): the input is unfolded into columns (<see cref="Im2Col"/>), y_g = W_g · cols_g per group.
/// Backward, with g the output's gradient in the product's [O, N·OH·OW] layout: dW_g = g_g · cols_gᵀ, db = g summed
/// over the batch and positions, and dx = fold(W_gᵀ · g_g), where fold (col2im) adds each column entry back onto the
/// input value it was copied from. A 3×3 convolution of stride 1 with 8 or more channels in and out goes instead through
/// Winograd's F(2×2, 3×3) (<see cref="WinogradConv2d"/>): the same numbers to rounding, 2.25× fewer multiplications.
/// </summary>
public static class Convolution
{
    /// <summary>
    /// y[n, o] = b[o] + Σ_c Σ_(i,j) W[o, c, i, j] · x[n, g·C/G + c, oh·sH − pad + i·dH, ow·sW − pad + j·dW] for input
    /// [N, C, H, W] (or one example [C, H, W]), weight [O, C/groups, KH, KW] and bias [O], as <c>F.conv2d</c>: stride,
    /// padding (int, pair, "same" or "valid"), dilation and groups as PyTorch takes them (stride and dilation 1, no
    /// padding, one group when omitted).
    /// </summary>
    public static Tensor Conv2d(this Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Padding2d? padding = null,
        Size2d? dilation = null, int groups = 1)
    {
        if (input.Rank == 3) return input.Unsqueeze(0).Conv2d(weight, bias, stride, padding, dilation, groups).Squeeze(0);
        var geometry = Geometry(input, weight, bias, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        (input, weight) = TypePromotion.Promote(input, weight);
        input.RequireFloatingPoint("conv2d");
        bias = bias?.To(input.DType);
        return input.DType == DType.Float32
            ? Record<float>(input, weight, bias, geometry)
            : Record<double>(input, weight, bias, geometry);
    }

    private static Tensor Record<T>(Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Tensor.Empty(new Shape(g.N, g.O, g.OH, g.OW), input.DType);
        Conv2dChunks.Forward<T>(input.StorageArray<T>(), weight.StorageArray<T>(), bias?.StorageArray<T>(), g, y.StorageArray<T>());

        ReadOnlySpan<Tensor> inputs = bias is null ? [input, weight] : [input, weight, bias];
        return Graph.Record("conv2d", y, inputs, (input, weight, bias, g), static (s, gradient) => Backward<T>(s.input, s.weight, s.bias, s.g, gradient));
    }

    private static Tensor?[] Backward<T>(Tensor input, Tensor weight, Tensor? bias, in Conv2dGeometry g, Tensor gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // dx and dW are written straight into the leaves' zeroed gradient buffers when they have them (as Linear does), so
        // the engine has nothing to copy.
        var inputBuffer = input.RequiresGrad ? input.TakeZeroedGradBuffer(input.Shape, gradient.DType) : null;
        var dx = input.RequiresGrad ? inputBuffer ?? Tensor.Empty(input.Shape, gradient.DType) : null;
        var buffer = weight.RequiresGrad ? weight.TakeZeroedGradBuffer(weight.Shape, gradient.DType) : null;
        var dw = weight.RequiresGrad ? buffer ?? Tensor.Empty(weight.Shape, gradient.DType) : null;
        // db[o] = Σ over the batch and positions of g[n, o].
        var db = bias is { RequiresGrad: true } ? Tensor.Empty(bias.Shape, gradient.DType) : null;
        Conv2dChunks.Backward<T>(input.StorageArray<T>(), weight.StorageArray<T>(), gradient.StorageArray<T>(), g,
            dx?.StorageArray<T>(), dw?.StorageArray<T>(), db?.StorageArray<T>());
        return [inputBuffer is null ? dx : null, buffer is null ? dw : null, db];
    }

    /// <summary>Checks the operands' shapes against each other and works out the output's size.</summary>
    private static Conv2dGeometry Geometry(Tensor input, Tensor weight, Tensor? bias, Size2d stride, Padding2d padding, Size2d dilation, int groups)
    {
        const string Op = "conv2d";
        if (input.Rank != 4) throw new ArgumentException($"{Op}: expects input [N,C,H,W] or [C,H,W], got shape {input.Shape}");
        if (weight.Rank != 4) throw new ArgumentException($"{Op}: expects weight [out,in/groups,kH,kW], got shape {weight.Shape}");
        stride.AtLeast(1, Op, "stride");
        dilation.AtLeast(1, Op, "dilation");
        if (groups < 1) throw new ArgumentException($"{Op}: groups must be at least 1, got {groups}");
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int o = weight.Shape[0], kh = weight.Shape[2], kw = weight.Shape[3];
        if (c % groups != 0 || o % groups != 0)
        {
            throw new ArgumentException($"{Op}: {c} input and {o} output channels must both be divisible by groups={groups}");
        }
        if (weight.Shape[1] * groups != c)
        {
            throw new ArgumentException($"{Op}: weight of shape {weight.Shape} with groups={groups} expects {weight.Shape[1] * groups} input channels, but the input of shape {input.Shape} has {c}");
        }
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != o))
        {
            throw new ArgumentException($"{Op}: bias of shape {bias.Shape} does not fit weight of shape {weight.Shape} (expected [{o}])");
        }
        var (top, bottom, left, right) = padding.Resolve((kh, kw), stride, dilation, Op);
        int extentH = SlidingWindow.Extent(kh, dilation.Height), extentW = SlidingWindow.Extent(kw, dilation.Width);
        if (SlidingWindow.Outputs(h, top + bottom, extentH, stride.Height) is not { } oh || SlidingWindow.Outputs(w, left + right, extentW, stride.Width) is not { } ow)
        {
            throw new ArgumentException($"{Op}: input of shape {input.Shape} padded to {h + top + bottom}×{w + left + right} is smaller than the (dilated) kernel {extentH}×{extentW}");
        }
        return new Conv2dGeometry(n, c, h, w, o, kh, kw, stride.Height, stride.Width, top, left, dilation.Height, dilation.Width, groups, oh, ow);
    }
}

using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// 2-D pooling over input [N, C, H, W] (or one example [C, H, W]), as PyTorch's <c>F.max_pool2d</c>,
/// <c>F.avg_pool2d</c> and <c>F.adaptive_avg_pool2d</c>. Each output depends on one window of its plane, so each
/// derivative sends an output's gradient back into its window: all of it to the maximum's position for max pooling, an
/// equal share to every covered value for average pooling.
/// </summary>
public static class Pooling
{
    /// <summary>
    /// The largest value of each <paramref name="kernelSize"/> window, moved by <paramref name="stride"/> (the kernel size
    /// when omitted) over the input padded by <paramref name="padding"/> on each side (as −∞: padding never wins; at most
    /// half the kernel). d/dx: each output's gradient goes to the position its maximum came from (the first among ties).
    /// </summary>
    public static Tensor MaxPool2d(this Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null)
    {
        if (input.Rank == 3) return input.Unsqueeze(0).MaxPool2d(kernelSize, stride, padding).Squeeze(0);
        var g = Geometry("max_pool2d", input, kernelSize, stride ?? kernelSize, padding ?? 0);
        var y = Tensor.Empty(new Shape(input.Shape[0], input.Shape[1], g.OH, g.OW), input.DType);
        var indices = Tensor.Empty(y.Shape, DType.Int64);
        if (input.DType == DType.Float32) MaxPoolKernels.Forward<float>(input.Span<float>(), g, y.Span<float>(), indices.Span<long>());
        else MaxPoolKernels.Forward<double>(input.Span<double>(), g, y.Span<double>(), indices.Span<long>());
        return Graph.Record("max_pool2d", y, [input], (input, indices, g), static (s, gradient) =>
        {
            var dx = Tensor.Empty(s.input.Shape, s.input.DType);
            if (s.input.DType == DType.Float32) MaxPoolKernels.Backward<float>(gradient.Span<float>(), s.indices.Span<long>(), s.g, dx.Span<float>());
            else MaxPoolKernels.Backward<double>(gradient.Span<double>(), s.indices.Span<long>(), s.g, dx.Span<double>());
            return [dx];
        });
    }

    /// <summary>
    /// The mean of each <paramref name="kernelSize"/> window, moved by <paramref name="stride"/> (the kernel size when
    /// omitted) over the input zero-padded by <paramref name="padding"/> on each side (at most half the kernel); the
    /// padding counts in the divisor unless <paramref name="countIncludePad"/> is false (PyTorch's default: it counts).
    /// d/dx: each output's gradient over the divisor goes to every value of its window.
    /// </summary>
    public static Tensor AvgPool2d(this Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool countIncludePad = true)
    {
        if (input.Rank == 3) return input.Unsqueeze(0).AvgPool2d(kernelSize, stride, padding, countIncludePad).Squeeze(0);
        var g = Geometry("avg_pool2d", input, kernelSize, stride ?? kernelSize, padding ?? 0);
        var y = Tensor.Empty(new Shape(input.Shape[0], input.Shape[1], g.OH, g.OW), input.DType);
        Average(input, g, countIncludePad, backward: false, y);
        return Graph.Record("avg_pool2d", y, [input], (input, g, countIncludePad), static (s, gradient) =>
        {
            var dx = Tensor.Empty(s.input.Shape, s.input.DType);
            Average(gradient, s.g, s.countIncludePad, backward: true, dx);
            return [dx];
        });
    }

    /// <summary>
    /// Average pooling to exactly <paramref name="outputSize"/>: output (i, j) averages input rows ⌊i·H/OH⌋ to
    /// ⌈(i+1)·H/OH⌉ − 1 and the columns likewise (PyTorch's windows, which overlap when the sizes do not divide).
    /// d/dx: each output's gradient over its window's size goes to every value of its window.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(this Tensor input, Size2d outputSize)
    {
        if (input.Rank == 3) return input.Unsqueeze(0).AdaptiveAvgPool2d(outputSize).Squeeze(0);
        RequireImages("adaptive_avg_pool2d", input);
        outputSize.AtLeast(1, "adaptive_avg_pool2d", "output size");
        var g = new Pool2dGeometry(input.Shape[0] * input.Shape[1], input.Shape[2], input.Shape[3], 0, 0, 0, 0, 0, 0, outputSize.Height, outputSize.Width);
        if (g.H == 0 || g.W == 0) throw new ArgumentException($"adaptive_avg_pool2d: input of shape {input.Shape} has no values to average");
        var y = Tensor.Empty(new Shape(input.Shape[0], input.Shape[1], g.OH, g.OW), input.DType);
        AdaptiveAverage(input, g, backward: false, y);
        return Graph.Record("adaptive_avg_pool2d", y, [input], (input, g), static (s, gradient) =>
        {
            var dx = Tensor.Empty(s.input.Shape, s.input.DType);
            AdaptiveAverage(gradient, s.g, backward: true, dx);
            return [dx];
        });
    }

    private static void Average(Tensor x, in Pool2dGeometry g, bool countIncludePad, bool backward, Tensor y)
    {
        if (x.DType == DType.Float32) AvgPoolKernels.Average<float>(x.Span<float>(), g, countIncludePad, backward, y.Span<float>());
        else AvgPoolKernels.Average<double>(x.Span<double>(), g, countIncludePad, backward, y.Span<double>());
    }

    private static void AdaptiveAverage(Tensor x, in Pool2dGeometry g, bool backward, Tensor y)
    {
        if (x.DType == DType.Float32) AvgPoolKernels.AdaptiveAverage<float>(x.Span<float>(), g, backward, y.Span<float>());
        else AvgPoolKernels.AdaptiveAverage<double>(x.Span<double>(), g, backward, y.Span<double>());
    }

    private static void RequireImages(string op, Tensor input)
    {
        if (input.Rank != 4) throw new ArgumentException($"{op}: expects input [N,C,H,W] or [C,H,W], got shape {input.Shape}");
        input.RequireFloatingPoint(op);
    }

    /// <summary>Checks the window against the input (PyTorch's rules) and works out the output's size.</summary>
    private static Pool2dGeometry Geometry(string op, Tensor input, Size2d kernel, Size2d stride, Size2d padding)
    {
        RequireImages(op, input);
        kernel.AtLeast(1, op, "kernel size");
        stride.AtLeast(1, op, "stride");
        padding.AtLeast(0, op, "padding");
        if (!SlidingWindow.PoolPaddingFits(padding, kernel))
        {
            throw new ArgumentException($"{op}: padding {padding} must be at most half of the kernel size {kernel}");
        }
        int h = input.Shape[2], w = input.Shape[3];
        if (SlidingWindow.Outputs(h, 2 * padding.Height, kernel.Height, stride.Height) is not { } oh
            || SlidingWindow.Outputs(w, 2 * padding.Width, kernel.Width, stride.Width) is not { } ow)
        {
            throw new ArgumentException($"{op}: input of shape {input.Shape} padded by {padding} is smaller than the kernel {kernel}");
        }
        return new Pool2dGeometry(input.Shape[0] * input.Shape[1], h, w, kernel.Height, kernel.Width, stride.Height, stride.Width,
            padding.Height, padding.Width, oh, ow);
    }
}

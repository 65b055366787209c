using Backprop.Kernels;

namespace Backprop.NN;

/// <summary>
/// The architecture text's image layers under <c>torch.nn</c>'s names and signatures: Conv2d, the poolings, BatchNorm,
/// Dropout2d. Arguments PyTorch has but Backprop does not implement (<c>ceil_mode=True</c>, <c>padding_mode='reflect'</c>,
/// …) are refused by name rather than ignored.
/// </summary>
internal static class ImageLayers
{
    private static readonly ArgumentValue True = ArgumentValue.Bool(true);
    private static readonly ArgumentValue False = ArgumentValue.Bool(false);
    private static readonly ArgumentValue One = ArgumentValue.Int(1);
    private static readonly ArgumentValue Zero = ArgumentValue.Int(0);

    public static IEnumerable<LayerDefinition> Definitions =>
    [
        new("Conv2d",
            [new("in_channels"), new("out_channels"), new("kernel_size"), new("stride", One), new("padding", Zero), new("dilation", One),
             new("groups", One), new("bias", True), new("padding_mode", ArgumentValue.String("zeros"))],
            (a, g) =>
            {
                a.RequireSupported("padding_mode", ArgumentValue.String("zeros"));
                return new Conv2d(a.Int("in_channels", 1), a.Int("out_channels", 1), a.Pair("kernel_size", 1), a.Pair("stride", 1), Padding(a),
                    a.Pair("dilation", 1), a.Int("groups", 1), a.Bool("bias"), generator: g);
            },
            ConvShape,
            ConvState),
        new("MaxPool2d",
            [new("kernel_size"), new("stride", ArgumentValue.None), new("padding", Zero), new("dilation", One), new("return_indices", False), new("ceil_mode", False)],
            (a, _) =>
            {
                foreach (var (name, supported) in new[] { ("dilation", One), ("return_indices", False), ("ceil_mode", False) }) a.RequireSupported(name, supported);
                return new MaxPool2d(a.Pair("kernel_size", 1), a.OptionalPair("stride", 1), a.Pair("padding", 0));
            },
            PoolShape),
        new("AvgPool2d",
            [new("kernel_size"), new("stride", ArgumentValue.None), new("padding", Zero), new("ceil_mode", False), new("count_include_pad", True), new("divisor_override", ArgumentValue.None)],
            (a, _) =>
            {
                a.RequireSupported("ceil_mode", False);
                a.RequireSupported("divisor_override", ArgumentValue.None);
                return new AvgPool2d(a.Pair("kernel_size", 1), a.OptionalPair("stride", 1), a.Pair("padding", 0), a.Bool("count_include_pad"));
            },
            PoolShape),
        new("AdaptiveAvgPool2d", [new("output_size")], (a, _) => new AdaptiveAvgPool2d(a.Pair("output_size", 1)), (a, input) =>
        {
            var (channels, _, _) = Image(input);
            var (height, width) = a.Pair("output_size", 1);
            return [channels, height, width];
        }),
        BatchNorm("BatchNorm1d", (n, eps, momentum, affine, track) => new BatchNorm1d(n, eps, momentum, affine, track), input =>
            input.Length is 1 or 2 ? input[0] : throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", "it normalises [features] or [features, length]")),
        BatchNorm("BatchNorm2d", (n, eps, momentum, affine, track) => new BatchNorm2d(n, eps, momentum, affine, track), input => Image(input).Channels),
        new("Dropout2d", [new("p", ArgumentValue.Float(0.5)), new("inplace", False)], (a, g) => new Dropout2d(a.Float("p"), g), (_, input) =>
        {
            Image(input);
            return input;
        }),
    ];

    private static LayerDefinition BatchNorm(string name, Func<int, double, double?, bool, bool, Module> create, Func<int[], int> channels) =>
        new(name,
            [new("num_features"), new("eps", ArgumentValue.Float(1e-5)), new("momentum", ArgumentValue.Float(0.1)), new("affine", True), new("track_running_stats", True)],
            (a, _) => create(a.Int("num_features", 1), a.Float("eps"), a["momentum"].Kind == ArgumentKind.None ? null : a.Float("momentum"), a.Bool("affine"), a.Bool("track_running_stats")),
            (a, input) =>
            {
                int features = channels(input);
                if (features != a.Int("num_features", 1)) throw new LayerInputException($"{features} channels");
                return input;
            },
            a =>
            {
                int features = a.Int("num_features", 1);
                (string, int[])[] affine = a.Bool("affine") ? [("weight", [features]), ("bias", [features])] : [];
                (string, int[])[] statistics = a.Bool("track_running_stats") ? [("running_mean", [features]), ("running_var", [features]), ("num_batches_tracked", [])] : [];
                return [.. affine, .. statistics];
            });

    /// <summary>A convolution's padding: an int, a pair, 'same' or 'valid'.</summary>
    private static Padding2d Padding(LayerArguments a)
    {
        var value = a["padding"];
        if (value.Kind == ArgumentKind.String)
        {
            return value.Text is "same" or "valid" ? value.Text : throw a.Problem("padding", $"must be an integer, a pair, 'same' or 'valid', got {value}");
        }
        return a.Pair("padding", 0);
    }

    private static int[] ConvShape(LayerArguments a, int[] input)
    {
        var (channels, height, width) = Image(input);
        if (channels != a.Int("in_channels", 1)) throw new LayerInputException($"{channels} channels");
        var kernel = a.Pair("kernel_size", 1);
        var stride = a.Pair("stride", 1);
        var dilation = a.Pair("dilation", 1);
        int extentHeight = Extent(a, kernel.Height, dilation.Height), extentWidth = Extent(a, kernel.Width, dilation.Width);
        var (top, bottom, left, right) = Padding(a).Resolve(kernel, stride, dilation, $"architecture: {a}");
        return [a.Int("out_channels", 1), Out(input, height, (long)top + bottom, extentHeight, stride.Height), Out(input, width, (long)left + right, extentWidth, stride.Width)];
    }

    /// <summary>The weight [out, in/groups, kH, kW] and the bias [out] that <see cref="Conv2d"/> registers.</summary>
    private static (string, int[])[] ConvState(LayerArguments a)
    {
        int inChannels = a.Int("in_channels", 1), outChannels = a.Int("out_channels", 1), groups = a.Int("groups", 1);
        if (inChannels % groups != 0 || outChannels % groups != 0) throw a.Problem("groups", $"must divide both {inChannels} input and {outChannels} output channels, got {groups}");
        var kernel = a.Pair("kernel_size", 1);
        int[] weight = [outChannels, inChannels / groups, kernel.Height, kernel.Width];
        return a.Bool("bias") ? [("weight", weight), ("bias", [outChannels])] : [("weight", weight)];
    }

    /// <summary>
    /// The values a kernel spans (<see cref="SlidingWindow.Extent"/>), computed in long first: the sizes may come from a
    /// file's text, and an int that wrapped around would make an absurd window look as if it fits.
    /// </summary>
    private static int Extent(LayerArguments a, int kernel, int dilation)
    {
        long extent = (long)dilation * (kernel - 1) + 1;
        return extent <= int.MaxValue ? SlidingWindow.Extent(kernel, dilation) : throw a.Problem("kernel_size", $"{kernel} with dilation {dilation} spans {extent} values, more than a tensor's axis can hold");
    }

    private static int[] PoolShape(LayerArguments a, int[] input)
    {
        var (channels, height, width) = Image(input);
        var kernel = a.Pair("kernel_size", 1);
        var stride = a.OptionalPair("stride", 1) ?? kernel;
        var padding = a.Pair("padding", 0);
        if (!SlidingWindow.PoolPaddingFits(padding, kernel))
        {
            throw a.Problem("padding", $"must be at most half the kernel size, as in PyTorch, got {padding} for a kernel of {kernel}");
        }
        return [channels, Out(input, height, 2L * padding.Height, kernel.Height, stride.Height), Out(input, width, 2L * padding.Width, kernel.Width, stride.Width)];
    }

    /// <summary>
    /// The output size along one axis (the ops' own <see cref="SlidingWindow"/> arithmetic), or why the window does not
    /// fit; the padded size is checked in long first, as in <see cref="Extent"/>.
    /// </summary>
    private static int Out(int[] input, int size, long padding, int extent, int stride)
    {
        string what = $"examples of shape {LayerCatalog.Format(input)}";
        if (size + padding > int.MaxValue) throw new LayerInputException(what, $"{size} values with {padding} of padding are more than a tensor's axis can hold");
        return SlidingWindow.Outputs(size, (int)padding, extent, stride) ?? throw new LayerInputException(what, $"a window of {extent} does not fit in {size} (with {padding} of padding)");
    }

    private static (int Channels, int Height, int Width) Image(int[] input) =>
        input.Length == 3 ? (input[0], input[1], input[2]) : throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", "it takes images [channels, height, width]");
}

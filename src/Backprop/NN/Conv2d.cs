namespace Backprop.NN;

/// <summary>
/// A 2-D convolution layer, as PyTorch's <c>nn.Conv2d</c>: weight [out, in/groups, kH, kW] and bias [out], both
/// initialised as PyTorch does (Kaiming-uniform with a = √5 for the weight, which reduces to uniform in ±1/√fan_in, and
/// the same bound for the bias; fan_in = in/groups·kH·kW). Input [N, in, H, W] (or [in, H, W]), output [N, out, OH, OW].
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>
    /// A layer from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels with a kernel of
    /// <paramref name="kernelSize"/>, as <c>nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    /// dilation=1, groups=1, bias=True)</c>: sizes as ints or (height, width) pairs, padding also "same" or "valid".
    /// </summary>
    public Conv2d(int inChannels, int outChannels, Size2d kernelSize, Size2d? stride = null, Padding2d? padding = null, Size2d? dilation = null,
        int groups = 1, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        const string Op = "conv2d";
        if (inChannels < 1 || outChannels < 1) throw new ArgumentException($"{Op}: channels must be at least 1, got {inChannels} in and {outChannels} out");
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"{Op}: {inChannels} input and {outChannels} output channels must both be divisible by groups={groups}");
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize.AtLeast(1, Op, "kernel size");
        Stride = (stride ?? 1).AtLeast(1, Op, "stride");
        Padding = padding ?? 0;
        Dilation = (dilation ?? 1).AtLeast(1, Op, "dilation");
        Groups = groups;
        Padding.Resolve(KernelSize, Stride, Dilation, Op); // refuses 'same' with a stride now, as PyTorch's constructor does

        Shape weightShape = [outChannels, inChannels / groups, KernelSize.Height, KernelSize.Width];
        double bound = 1 / Math.Sqrt(Init.Fans(weightShape).FanIn);
        Weight = RegisterParameter("weight", Tensor.Uniform(weightShape, -bound, bound, generator, dtype));
        Bias = bias ? RegisterParameter("bias", Tensor.Uniform([outChannels], -bound, bound, generator, dtype)) : null;
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output (the number of filters).</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's height and width.</summary>
    public Size2d KernelSize { get; }

    /// <summary>The step between output positions.</summary>
    public Size2d Stride { get; }

    /// <summary>The zeros added around the input, or "same"/"valid".</summary>
    public Padding2d Padding { get; }

    /// <summary>The spacing between kernel taps.</summary>
    public Size2d Dilation { get; }

    /// <summary>Channel groups: each output channel sees in/groups input channels.</summary>
    public int Groups { get; }

    /// <summary>W, shape [out, in/groups, kH, kW].</summary>
    public Tensor Weight { get; }

    /// <summary>b, shape [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Conv2d(Weight, Bias, Stride, Padding, Dilation, Groups);
}

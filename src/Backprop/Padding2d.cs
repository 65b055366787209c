namespace Backprop;

/// <summary>
/// A convolution's padding as PyTorch's <c>padding</c> argument takes it: an int or a pair (zeros added on both sides of
/// the height and width), or the string <c>"same"</c> (the output keeps the input's size; stride 1 only) or
/// <c>"valid"</c> (no padding). Ints, pairs and those two strings convert implicitly.
/// </summary>
public readonly record struct Padding2d
{
    private Padding2d(int height, int width, string? mode)
    {
        Height = height;
        Width = width;
        Mode = mode;
    }

    /// <summary>Zeros above and below (when <see cref="Mode"/> is null).</summary>
    public int Height { get; }

    /// <summary>Zeros left and right (when <see cref="Mode"/> is null).</summary>
    public int Width { get; }

    /// <summary><c>"same"</c>, <c>"valid"</c>, or null for explicit sizes.</summary>
    public string? Mode { get; }

    /// <summary>Padding that keeps the input's size at stride 1, as PyTorch's <c>padding='same'</c>.</summary>
    public static Padding2d Same { get; } = new(0, 0, "same");

    /// <summary>No padding, as PyTorch's <c>padding='valid'</c>.</summary>
    public static Padding2d Valid { get; } = new(0, 0, "valid");

    /// <summary><paramref name="height"/> zeros above and below, <paramref name="width"/> left and right.</summary>
    public static Padding2d Explicit(int height, int width) =>
        height >= 0 && width >= 0 ? new(height, width, null) : throw new ArgumentException($"padding: sizes must not be negative, got ({height}, {width})");

    /// <summary>The same number of zeros on every side.</summary>
    public static implicit operator Padding2d(int size) => Explicit(size, size);

    /// <summary>(height, width) zeros on each side.</summary>
    public static implicit operator Padding2d((int Height, int Width) size) => Explicit(size.Height, size.Width);

    /// <summary><c>"same"</c> or <c>"valid"</c>.</summary>
    public static implicit operator Padding2d(string mode) => mode switch
    {
        "same" => Same,
        "valid" => Valid,
        _ => throw new ArgumentException($"padding: '{mode}' is not 'same' or 'valid'"),
    };

    /// <summary>As PyTorch prints it: <c>'same'</c>, <c>'valid'</c> or <c>(2, 2)</c>.</summary>
    public override string ToString() => Mode is null ? $"({Height}, {Width})" : $"'{Mode}'";

    /// <summary>
    /// The zeros on each side for a kernel of <paramref name="kernel"/> with <paramref name="dilation"/>: for "same", the
    /// dilated kernel's extent minus one, split with the odd one at the bottom and right, as PyTorch splits it.
    /// </summary>
    internal (int Top, int Bottom, int Left, int Right) Resolve(Size2d kernel, Size2d stride, Size2d dilation, string op)
    {
        if (Mode == "same")
        {
            if (stride != new Size2d(1, 1)) throw new ArgumentException($"{op}: padding 'same' is not supported for strided convolutions (stride {stride})");
            int height = dilation.Height * (kernel.Height - 1), width = dilation.Width * (kernel.Width - 1);
            return (height / 2, height - height / 2, width / 2, width - width / 2);
        }
        return (Height, Height, Width, Width);
    }
}

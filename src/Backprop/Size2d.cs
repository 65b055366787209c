namespace Backprop;

/// <summary>
/// A size for each of the two spatial axes, height then width: what PyTorch's 2-D layers take as an int or a pair
/// (<c>kernel_size=5</c>, <c>stride=(2, 1)</c>). An int or a tuple converts implicitly, so <c>kernelSize: 5</c> and
/// <c>stride: (2, 1)</c> read as they do in PyTorch.
/// </summary>
public readonly record struct Size2d(int Height, int Width)
{
    /// <summary>The same size along both axes.</summary>
    public static implicit operator Size2d(int size) => new(size, size);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2d((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>As PyTorch prints a pair: <c>(5, 5)</c>.</summary>
    public override string ToString() => $"({Height}, {Width})";

    /// <summary>Throws, naming <paramref name="op"/> and <paramref name="what"/>, unless both sizes are at least <paramref name="minimum"/>.</summary>
    internal Size2d AtLeast(int minimum, string op, string what) =>
        Height >= minimum && Width >= minimum ? this : throw new ArgumentException($"{op}: {what} must be at least {minimum}, got {this}");
}

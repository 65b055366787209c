using System.CommandLine;
using System.Globalization;

namespace Backprop.Cli;

/// <summary>
/// <c>--input-shape C,H,W</c>: the shape of one example, for a network given as --arch where no data says it (explain,
/// graph, and export of a state dict without metadata).
/// </summary>
internal sealed class ShapeOption
{
    public Option<string?> Option { get; } = new("--input-shape") { Description = "With --arch: the shape of one example, such as 1,28,28 (channels, height, width) or 784" };

    /// <summary>The shape given, or an error saying that --arch needs it.</summary>
    public int[] Get(ParseResult parsed, string archOption)
    {
        string text = parsed.GetValue(Option) ?? throw new ArgumentException($"{archOption} needs {Option.Name}, the shape of one example, such as 1,6,6");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
            {
                throw new ArgumentException($"{Option.Name}: '{text}' is not a shape such as 1,6,6 ('{parts[i]}' is not a size)");
            }
        }
        return shape;
    }
}

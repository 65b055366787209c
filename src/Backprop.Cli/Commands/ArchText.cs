using Backprop.NN;

namespace Backprop.Cli;

/// <summary>
/// What <c>--arch</c> takes: a preset's name (<c>lenet5</c>), a file holding architecture text, or the text itself
/// (<c>"Conv2d(1, 6, 5, padding=2), ReLU(), …"</c>).
/// </summary>
internal static class ArchText
{
    /// <summary>LeNet-5 as PyTorch users write it today: ReLU and max pooling, 28×28 inputs padded to LeCun's 32×32 by the first convolution.</summary>
    public const string LeNet5 = "Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), " +
                                 "Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)";

    private static readonly Dictionary<string, string> Presets = new() { ["lenet5"] = LeNet5 };

    /// <summary>The architecture <paramref name="value"/> names, holds or is; its errors say which of the three it was read as.</summary>
    public static Architecture Resolve(string value)
    {
        if (Presets.TryGetValue(value.Trim().ToLowerInvariant(), out var preset)) return Architecture.Parse(preset);
        if (File.Exists(value))
        {
            try
            {
                return Architecture.Parse(File.ReadAllText(value));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--arch {value}: {e.Message}");
            }
        }
        try
        {
            return Architecture.Parse(value);
        }
        catch (ArgumentException) when (!value.Contains('('))
        {
            // A single word that is no layer is more likely a mistyped preset or file name than a layer.
            throw new ArgumentException($"--arch: '{value}' is not a preset ({string.Join(", ", Presets.Keys)}), a file, or layers such as 'Linear(784, 10)'");
        }
    }
}

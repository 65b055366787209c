using System.Globalization;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// Reads the metadata of model files written before the architecture text existed: the MLP shorthand's layer sizes
/// (<c>backprop.layers</c> = <c>784,128,10</c>), its activation's name (<c>backprop.activation</c> = <c>relu</c>) and the
/// loss. Nothing writes it any more; <see cref="ModelDescription"/> writes the architecture text.
/// </summary>
internal static class LegacyMlpMetadata
{
    private const string LayersKey = "backprop.layers";
    private const string ActivationKey = "backprop.activation";

    /// <summary>The network the shorthand describes, or null when the metadata holds none.</summary>
    public static ModelDescription? Read(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(LayersKey, out var layers) || !metadata.TryGetValue(ActivationKey, out var activation)) return null;
        int[] sizes = [.. layers.Split(',').Select(size => int.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture))];
        if (sizes.Length < 2 || sizes.Contains(0)) throw new FormatException($"{LayersKey} '{layers}' is not a list of two or more sizes");
        return ModelDescription.Mlp(sizes, Activation.Parse(activation), ModelDescription.ReadLoss(metadata));
    }
}

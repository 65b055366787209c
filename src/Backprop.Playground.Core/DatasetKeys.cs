using Backprop.Data;

namespace Backprop.Playground.Core;

/// <summary>Each <see cref="PlaneDataset"/>'s name in a TensorFlow Playground URL (<c>dataset=</c> or <c>regDataset=</c>).</summary>
public static class DatasetKeys
{
    /// <summary>Every data set's URL key, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<PlaneDataset>().Select(UrlKey).ToArray();

    /// <summary>The name TensorFlow Playground gives <paramref name="dataset"/> in its URL, such as <c>circle</c> or <c>reg-plane</c>.</summary>
    public static string UrlKey(this PlaneDataset dataset) => dataset switch
    {
        PlaneDataset.Circle => "circle",
        PlaneDataset.Xor => "xor",
        PlaneDataset.Gauss => "gauss",
        PlaneDataset.Spiral => "spiral",
        PlaneDataset.Plane => "reg-plane",
        PlaneDataset.MultiGauss => "reg-gauss",
        _ => throw new ArgumentException($"plane data: {dataset} is not a known data set"),
    };

    /// <summary>The data set whose URL key is <paramref name="key"/> (exactly, as the playground writes it), or an error listing the keys.</summary>
    public static PlaneDataset Parse(string key)
    {
        foreach (var dataset in Enum.GetValues<PlaneDataset>())
        {
            if (dataset.UrlKey() == key) return dataset;
        }
        throw new ArgumentException($"plane data: unknown data set key '{key}' (expected one of {string.Join(", ", All)})");
    }
}

namespace Backprop.Data;

/// <summary>What kind of problem each <see cref="PlaneDataset"/> is, and its name in a TensorFlow Playground URL.</summary>
public static class PlaneDatasets
{
    /// <summary>Every data set's URL key, in the enum's order.</summary>
    public static IReadOnlyList<string> AllUrlKeys { get; } = Enum.GetValues<PlaneDataset>().Select(UrlKey).ToArray();

    /// <summary>True for the regression data sets (<see cref="PlaneDataset.Plane"/>, <see cref="PlaneDataset.MultiGauss"/>), whose labels are target values rather than class indices.</summary>
    public static bool IsRegression(this PlaneDataset dataset) => dataset is PlaneDataset.Plane or PlaneDataset.MultiGauss;

    /// <summary>
    /// The most classes <see cref="PlaneData.Generate"/> accepts for <paramref name="dataset"/>: 5 for
    /// <see cref="PlaneDataset.Spiral"/> and <see cref="PlaneDataset.Gauss"/>, 2 for the others (every data set has at least 2).
    /// </summary>
    public static int MaxClassCount(this PlaneDataset dataset) => dataset is PlaneDataset.Spiral or PlaneDataset.Gauss ? 5 : 2;

    /// <summary>The name TensorFlow Playground gives <paramref name="dataset"/> in its URL (<c>dataset=</c> or <c>regDataset=</c>), such as <c>circle</c> or <c>reg-plane</c>.</summary>
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
    public static PlaneDataset ParseUrlKey(string key)
    {
        foreach (var dataset in Enum.GetValues<PlaneDataset>())
        {
            if (dataset.UrlKey() == key) return dataset;
        }
        throw new ArgumentException($"plane data: unknown data set key '{key}' (expected one of {string.Join(", ", AllUrlKeys)})");
    }
}

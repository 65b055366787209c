namespace Backprop.Data;

/// <summary>What kind of problem each <see cref="PlaneDataset"/> is, and how many classes it can have.</summary>
public static class PlaneDatasets
{
    /// <summary>True for the regression data sets (<see cref="PlaneDataset.Plane"/>, <see cref="PlaneDataset.MultiGauss"/>), whose labels are target values rather than class indices.</summary>
    public static bool IsRegression(this PlaneDataset dataset) => dataset is PlaneDataset.Plane or PlaneDataset.MultiGauss;

    /// <summary>
    /// The most classes <see cref="PlaneData.Generate"/> accepts for <paramref name="dataset"/>: 5 for
    /// <see cref="PlaneDataset.Spiral"/> and <see cref="PlaneDataset.Gauss"/>, 2 for the others (every data set has at least 2).
    /// </summary>
    public static int MaxClassCount(this PlaneDataset dataset) => dataset is PlaneDataset.Spiral or PlaneDataset.Gauss ? 5 : 2;
}

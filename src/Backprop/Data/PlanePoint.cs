namespace Backprop.Data;

/// <summary>
/// One example of a <see cref="PlaneDataset"/>: a point (<paramref name="X1"/>, <paramref name="X2"/>) of the plane and its label.
/// </summary>
/// <param name="X1">The first coordinate (TensorFlow Playground's horizontal axis).</param>
/// <param name="X2">The second coordinate (the vertical axis).</param>
/// <param name="Label">
/// For a classification data set the class index 0 … k − 1, held as a float; for a regression data set the target value.
/// </param>
public readonly record struct PlanePoint(float X1, float X2, float Label);

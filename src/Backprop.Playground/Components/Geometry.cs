namespace Backprop.Playground.Components;

/// <summary>Where the network's drawing puts its columns and nodes, in CSS pixels.</summary>
internal static class Geometry
{
    public const int Node = 38, ColumnGap = 112, RowGap = 50, Top = 56, Left = 8;

    /// <summary>Room right of the outputs for their labels ("class 0").</summary>
    public const int OutputLabels = 56;

    public static int X(int layer) => Left + layer * ColumnGap;

    public static int Y(int neuron) => Top + neuron * RowGap;

    public static int Width(int layers) => X(layers - 1) + Node + OutputLabels;

    public static int Height(int rows) => Top + rows * RowGap;
}

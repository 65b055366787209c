using System.Globalization;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// A numeric CSV file as <see cref="CsvFile"/> read it: its columns, and one row of numbers per example, kept as the file
/// wrote them until <see cref="ToDataset"/> is asked for values or classes, so a file is read once whatever the model turns
/// out to take.
/// </summary>
public sealed class CsvTable
{
    private readonly string[] columns;
    private readonly double[] values; // row-major
    private readonly int[] lines;

    internal CsvTable(string name, bool hasHeader, string[] columns, double[] values, int[] lines)
    {
        Name = name;
        HasHeader = hasHeader;
        this.columns = columns;
        this.values = values;
        this.lines = lines;
    }

    /// <summary>The file (or the name given for text), for messages.</summary>
    public string Name { get; }

    /// <summary>Whether the first row held column names: as the reader was told, or as it detected (a first row of numbers is data).</summary>
    public bool HasHeader { get; }

    /// <summary>The column names; a file without a header row names its columns by their 0-based indices ("0", "1", …).</summary>
    public IReadOnlyList<string> Columns => columns;

    /// <summary>The number of rows of numbers: the examples.</summary>
    public int RowCount => lines.Length;

    /// <summary>
    /// The examples: features [N, F] (float32, every column but the target, in file order) and the target column
    /// (<paramref name="targetColumn"/>: a column name or a 0-based index; the last column when null) as values (float32),
    /// or with <paramref name="classes"/> as class indices (int64, as PyTorch keeps them) with <see cref="Dataset.ClassCount"/>
    /// set, each checked by <see cref="ClassIndex"/>'s rule on the number as the file wrote it, before float32 rounds it.
    /// </summary>
    public Dataset ToDataset(string? targetColumn = null, bool classes = false)
    {
        if (columns.Length < 2) throw new DataFileException(Name, "needs at least two columns (features and a target)");
        int target = targetColumn is null ? columns.Length - 1 : ColumnIndex(targetColumn);
        var features = FeaturesWithout(target);
        if (!classes)
        {
            var targetValues = new float[RowCount];
            for (int r = 0; r < targetValues.Length; r++) targetValues[r] = (float)values[r * columns.Length + target];
            return new Dataset(features, Tensor.FromArray(targetValues), source: Name);
        }
        var indices = new long[RowCount];
        long count = 0;
        for (int r = 0; r < indices.Length; r++)
        {
            double value = values[r * columns.Length + target];
            if (ClassIndex.Problem(value) is { } problem)
            {
                throw new DataFileException(Name, $"line {lines[r]}, column '{CsvFile.Shown(columns[target])}': target {value.ToString(CultureInfo.InvariantCulture)} {problem}");
            }
            indices[r] = (long)value;
            count = Math.Max(count, indices[r] + 1);
        }
        return new Dataset(features, Tensor.FromArray(indices), (int)count, Name);
    }

    /// <summary>Only the features, for prediction: every column, or all but <paramref name="excludeColumn"/> (a name or an index) when it is given.</summary>
    public Tensor Features(string? excludeColumn = null) => FeaturesWithout(excludeColumn is null ? -1 : ColumnIndex(excludeColumn));

    private Tensor FeaturesWithout(int excluded)
    {
        int width = columns.Length, featureCount = width - (excluded >= 0 ? 1 : 0);
        var features = new float[RowCount * featureCount];
        for (int r = 0, f = 0; r < RowCount; r++)
        {
            for (int c = 0; c < width; c++)
            {
                if (c != excluded) features[f++] = (float)values[r * width + c];
            }
        }
        return Tensor.FromArray(features, [RowCount, featureCount]);
    }

    private int ColumnIndex(string column)
    {
        int byName = Array.IndexOf(columns, column);
        if (byName >= 0) return byName;
        if (int.TryParse(column, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < columns.Length) return index;
        throw new DataFileException(Name, $"no column '{column}' (columns: {string.Join(", ", columns.Select(c => CsvFile.Shown(c)))})");
    }
}

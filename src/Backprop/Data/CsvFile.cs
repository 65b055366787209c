using System.Globalization;
using Backprop.Losses;

namespace Backprop.Data;

/// <summary>
/// Reads numeric CSV: a header row of column names, then one example per line, every cell a number (invariant culture).
/// One column is the target; the others are the features, in file order.
/// </summary>
public static class CsvFile
{
    /// <summary>
    /// The examples of <paramref name="path"/>. <paramref name="targetColumn"/> is a column name or a 0-based index
    /// (the last column when null). For classification the targets must be whole numbers from 0.
    /// </summary>
    public static Dataset Read(string path, string? targetColumn, bool classification) => Read(ReadLines(path), path, targetColumn, classification);

    /// <summary>As <see cref="Read(string, string?, bool)"/>, from text already read (an upload in the browser, say); <paramref name="name"/> names it in errors.</summary>
    public static Dataset Read(TextReader reader, string name, string? targetColumn, bool classification) =>
        Read(reader.ReadToEnd().Split('\n').Select(line => line.TrimEnd('\r')).ToArray(), name, targetColumn, classification);

    private static Dataset Read(string[] lines, string path, string? targetColumn, bool classification)
    {
        var (header, rows) = Parse(lines, path);
        int target = TargetIndex(path, header, targetColumn);
        int featureCount = header.Length - 1;
        var features = new float[rows.Count * featureCount];
        var targets = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0, f = 0; c < header.Length; c++)
            {
                if (c == target) targets[r] = (float)rows[r].Values[c];
                else features[r * featureCount + f++] = (float)rows[r].Values[c];
            }
        }
        int? classes = null;
        if (classification)
        {
            for (int r = 0; r < rows.Count; r++)
            {
                double t = rows[r].Values[target];
                if (ClassIndex.Problem(t) is { } problem) throw new DataFileException(path, $"line {rows[r].Line}, column '{header[target]}': target {Format(t)} {problem}");
            }
            classes = rows.Count == 0 ? 0 : (int)targets.Max() + 1;
        }
        // Class indices as int64, as PyTorch keeps them (they were checked to be whole numbers above); values as float32.
        var targetTensor = classification ? Tensor.FromArray(Array.ConvertAll(targets, t => (long)t)) : Tensor.FromArray(targets);
        return new Dataset(Tensor.FromArray(features, [rows.Count, featureCount]), targetTensor, classes, path);
    }

    /// <summary>Only the feature columns: every column, or all but <paramref name="excludeColumn"/> when it is given.</summary>
    public static Tensor ReadFeatures(string path, string? excludeColumn)
    {
        var (header, rows) = Parse(ReadLines(path), path);
        int excluded = excludeColumn is null ? -1 : TargetIndex(path, header, excludeColumn);
        int featureCount = header.Length - (excluded >= 0 ? 1 : 0);
        var features = new float[rows.Count * featureCount];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0, f = 0; c < header.Length; c++)
            {
                if (c != excluded) features[r * featureCount + f++] = (float)rows[r].Values[c];
            }
        }
        return Tensor.FromArray(features, [rows.Count, featureCount]);
    }

    private sealed record Row(int Line, double[] Values);

    private static string[] ReadLines(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFileException(path, $"cannot be read ({e.Message})"); }
    }

    private static (string[] Header, List<Row> Rows) Parse(string[] lines, string path)
    {
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) throw new DataFileException(path, "is empty (expected a header row of column names)");
        var header = lines[first].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        if (header.Length < 2) throw new DataFileException(path, "needs at least two columns (features and a target)");

        var rows = new List<Row>();
        for (int i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length) throw new DataFileException(path, $"line {i + 1} has {cells.Length} cells, the header has {header.Length}");
            var values = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                string cell = cells[c].Trim().Trim('"');
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]) || !double.IsFinite(values[c]))
                {
                    throw new DataFileException(path, $"line {i + 1}, column '{header[c]}': '{cell}' is not a number");
                }
                if (Math.Abs(values[c]) > float.MaxValue) throw new DataFileException(path, $"line {i + 1}, column '{header[c]}': {cell} is too large for float32");
            }
            rows.Add(new Row(i + 1, values));
        }
        return (header, rows);
    }

    private static int TargetIndex(string path, string[] header, string? column)
    {
        if (column is null) return header.Length - 1;
        int byName = Array.IndexOf(header, column);
        if (byName >= 0) return byName;
        if (int.TryParse(column, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < header.Length) return index;
        throw new DataFileException(path, $"no column '{column}' (columns: {string.Join(", ", header)})");
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

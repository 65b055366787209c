using System.Globalization;
using Backprop.IO;
using nietras.SeparatedValues;

namespace Backprop.Data;

/// <summary>
/// Reads numeric CSV, raw or gzipped, through the Sep library (RFC 4180: a quoted cell may hold commas, quotes and line
/// breaks; spaces around cells are trimmed): an optional header row of column names, then one example per row, every cell a
/// number (invariant culture). Blank lines are skipped.
/// </summary>
public static class CsvFile
{
    /// <summary>
    /// The table in <paramref name="path"/>, gzipped or not (told by its magic bytes, as <see cref="IdxFile"/> does).
    /// <paramref name="header"/> says whether the first row holds column names; null detects it as CSV readers commonly do:
    /// a first row whose cells are all numbers is data, any other first row is the header.
    /// </summary>
    public static CsvTable Read(string path, bool? header = null) =>
        DataFileException.ReadFile(path, file => Gzip.Read(file, path, (contents, _) =>
        {
            using var text = new StreamReader(contents);
            return Read(text, path, header);
        }));

    /// <summary>As <see cref="Read(string, bool?)"/>, from text already open (an upload in the browser, say); <paramref name="name"/> names it in errors.</summary>
    public static CsvTable Read(TextReader reader, string name, bool? header = null)
    {
        var values = new List<double>();
        var lines = new List<int>();
        string[]? columns = null;
        bool hasHeader = false;
        int firstLine = 0, line = 0, nextLine = 1;
        using var rows = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).From(reader);
        try
        {
            foreach (var row in rows)
            {
                // A row starts where the one before it ended (Sep's own start line is not kept for the first row).
                (line, nextLine) = (nextLine, row.LineNumberToExcl);
                if (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) continue;
                if (columns is null)
                {
                    hasHeader = header ?? !AllNumbers(row);
                    columns = hasHeader ? Names(row) : [.. Enumerable.Range(0, row.ColCount).Select(c => c.ToString(CultureInfo.InvariantCulture))];
                    firstLine = line;
                    if (hasHeader) continue;
                }
                if (row.ColCount != columns.Length)
                {
                    throw new DataFileException(name, $"line {line} has {row.ColCount} cells, {(hasHeader ? "the header" : $"line {firstLine}")} has {columns.Length}");
                }
                for (int c = 0; c < columns.Length; c++) values.Add(Number(name, line, columns[c], row[c].Span));
                lines.Add(line);
            }
        }
        catch (NotSupportedException e)
        {
            throw new DataFileException(name, $"line {nextLine}: {e.Message}"); // a row longer than Sep reads (16 M characters)
        }
        if (columns is null) throw new DataFileException(name, header == false ? "is empty (expected rows of numbers)" : "is empty (expected a header row of column names)");
        return new CsvTable(name, hasHeader, columns, [.. values], [.. lines]);
    }

    private static bool AllNumbers(SepReader.Row row)
    {
        for (int c = 0; c < row.ColCount; c++)
        {
            if (!TryParse(row[c].Span, out _)) return false;
        }
        return true;
    }

    private static string[] Names(SepReader.Row row)
    {
        var names = new string[row.ColCount];
        for (int c = 0; c < names.Length; c++) names[c] = row[c].Span.Trim().ToString();
        return names;
    }

    private static double Number(string name, int line, string column, ReadOnlySpan<char> cell)
    {
        if (!TryParse(cell, out double value)) throw new DataFileException(name, $"line {line}, column '{Shown(column)}': '{Shown(cell)}' is not a number");
        if (Math.Abs(value) > float.MaxValue) throw new DataFileException(name, $"line {line}, column '{Shown(column)}': {Shown(cell)} is too large for float32");
        return value;
    }

    private static bool TryParse(ReadOnlySpan<char> cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>
    /// Text from the file as a message shows it, on one line and short: a quoted cell may hold line breaks, and one whose
    /// quote is never closed runs to the end of the file.
    /// </summary>
    internal static string Shown(ReadOnlySpan<char> text) =>
        (text.Length > 40 ? $"{text[..40]}…" : text.ToString()).ReplaceLineEndings("\\n");
}

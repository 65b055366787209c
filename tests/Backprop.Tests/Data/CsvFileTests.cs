using Backprop.Data;
using Backprop.IO;

namespace Backprop.Tests.Data;

public class CsvFileTests
{
    [Fact]
    public void TargetByNameOrIndexOrLast()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "a,label,b\n1,0,2\n3,1,4.5\n");
        var byName = CsvFile.Read(path).ToDataset("label", classes: true);
        Assert.Equal([1f, 2, 3, 4.5f], byName.Features.ToFloatArray());
        Assert.Equal([0L, 1], byName.Targets.ToInt64Array());
        Assert.Equal(DType.Int64, byName.Targets.DType); // class indices, as PyTorch keeps them
        Assert.Equal(2, byName.ClassCount);
        Assert.Equal([0f, 1], CsvFile.Read(path).ToDataset("1", classes: true).Targets.ToFloatArray());
        var last = CsvFile.Read(path).ToDataset();
        Assert.Equal([2f, 4.5f], last.Targets.ToFloatArray());
        Assert.Equal(DType.Float32, last.Targets.DType); // values
        Assert.Null(last.ClassCount);
    }

    [Fact]
    public void CellThatIsNotANumberNamesLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x,y\n1,2\n3,abc\n");
        Assert.Equal($"{path}: line 3, column 'y': 'abc' is not a number", Assert.Throws<DataFileException>(() => CsvFile.Read(path).ToDataset()).Message);
    }

    [Fact]
    public void RaggedRowsAndMissingColumnsAreNamed()
    {
        using var dir = new TempDirectory();
        string ragged = dir.WriteText("r.csv", "x,y\n1,2,3\n");
        Assert.EndsWith("line 2 has 3 cells, the header has 2", Assert.Throws<DataFileException>(() => CsvFile.Read(ragged)).Message);
        string ok = dir.WriteText("ok.csv", "x,y\n1,2\n");
        Assert.EndsWith("no column 'z' (columns: x, y)", Assert.Throws<DataFileException>(() => CsvFile.Read(ok).ToDataset("z")).Message);
        string empty = dir.WriteText("e.csv", "\n");
        Assert.EndsWith("is empty (expected a header row of column names)", Assert.Throws<DataFileException>(() => CsvFile.Read(empty)).Message);
    }

    [Fact]
    public void ClassificationTargetsMustBeClassIndices()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x,y\n1,0\n2,0.5\n");
        Assert.EndsWith("line 3, column 'y': target 0.5 is not a class index (a whole number from 0)", Assert.Throws<DataFileException>(() => CsvFile.Read(path).ToDataset(classes: true)).Message);
    }

    [Fact]
    public void FeaturesOnlyForPrediction()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x1,x2,y\n1,2,0\n3,4,1\n");
        Assert.Equal([1f, 2, 0, 3, 4, 1], CsvFile.Read(path).Features().ToFloatArray());
        Assert.Equal([1f, 2, 3, 4], CsvFile.Read(path).Features("y").ToFloatArray());
    }

    [Fact]
    public void AFirstRowOfNumbersIsDataUnlessTheCallerSaysItIsAHeader()
    {
        using var dir = new TempDirectory();
        // scikit-learn's wine data without its first line: 178 rows, none of them a header, were read as 177 examples.
        string path = dir.WriteText("headerless.csv", "14.23,1.71,0\n13.2,1.78,1\n13.16,2.36,2\n");
        var table = CsvFile.Read(path);
        Assert.False(table.HasHeader);
        Assert.Equal(["0", "1", "2"], table.Columns);
        var data = table.ToDataset(classes: true);
        Assert.Equal(3, data.Count);
        Assert.Equal([14.23f, 1.71f, 13.2f, 1.78f, 13.16f, 2.36f], data.Features.ToFloatArray());
        Assert.Equal([0L, 1, 2], data.Targets.ToInt64Array());
        Assert.Equal([14.23f, 13.2f, 13.16f], table.ToDataset("0").Targets.ToFloatArray()); // columns by index

        var told = CsvFile.Read(path, header: true);
        Assert.True(told.HasHeader);
        Assert.Equal(["14.23", "1.71", "0"], told.Columns);
        Assert.Equal(2, told.RowCount);

        string named = dir.WriteText("named.csv", "x,y\n1,2\n");
        Assert.True(CsvFile.Read(named).HasHeader);
        Assert.Equal($"{named}: line 1, column '0': 'x' is not a number", Assert.Throws<DataFileException>(() => CsvFile.Read(named, header: false)).Message);
        // One cell that is not a number makes the first row a header, as in readers that sniff one.
        Assert.True(CsvFile.Read(dir.WriteText("mixed.csv", "1,label\n1,2\n")).HasHeader);
        Assert.EndsWith("line 3 has 3 cells, line 1 has 2", Assert.Throws<DataFileException>(() => CsvFile.Read(dir.WriteText("r.csv", "1,2\n3,4\n5,6,7\n"))).Message);
        Assert.EndsWith("is empty (expected rows of numbers)", Assert.Throws<DataFileException>(() => CsvFile.Read(dir.WriteText("e.csv", ""), header: false)).Message);
    }

    [Fact]
    public void QuotedCellsHoldCommasQuotesAndLineBreaks()
    {
        using var dir = new TempDirectory();
        // RFC 4180: a quoted cell may hold the separator, a doubled quote, and a line break; spaces around cells are trimmed.
        string path = dir.WriteText("quoted.csv", "\"height, cm\", \"weight \"\"kg\"\"\",\"class\nlabel\"\r\n\"170\", 65.5 ,1\r\n\r\n180,\"7e1\",0\r\n");
        var table = CsvFile.Read(path);
        Assert.Equal(["height, cm", "weight \"kg\"", "class\nlabel"], table.Columns);
        var data = table.ToDataset("class\nlabel", classes: true);
        Assert.Equal([170f, 65.5f, 180f, 70f], data.Features.ToFloatArray());
        Assert.Equal([1L, 0], data.Targets.ToInt64Array());

        // A quoted comma stays in its cell, and a row after a cell that spans lines is named by the line it starts on.
        string bad = dir.WriteText("bad.csv", "\"x\ny\",z\n\"1,5\",2\n");
        Assert.Equal($"{bad}: line 3, column 'x\\ny': '1,5' is not a number", Assert.Throws<DataFileException>(() => CsvFile.Read(bad)).Message);
    }

    [Fact]
    public void AQuoteNeverClosedIsOneShortLine()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("open.csv", "x,y\n1,\"2\n3,4\n5,6\n" + new string('7', 100) + "\n");
        string message = Assert.Throws<DataFileException>(() => CsvFile.Read(path).ToDataset()).Message;
        Assert.Equal($"{path}: line 2, column 'y': '2\\n3,4\\n5,6\\n{new string('7', 30)}…' is not a number", message);

        // Sep reads rows of up to 16 M characters: a longer one (an unclosed quote in a large file) is refused by line.
        string huge = dir.WriteText("huge.csv", "x,y\n1,\"" + new string('2', 17 << 20));
        Assert.StartsWith($"{huge}: line 2: Buffer or row has reached maximum supported length", Assert.Throws<DataFileException>(() => CsvFile.Read(huge)).Message);
    }

    [Fact]
    public void GzippedCsvReadsAsItsText()
    {
        using var dir = new TempDirectory();
        const string text = "x1,x2,y\n1,2,0\n3,4,1\n";
        // Told by its magic bytes, as IDX files are, whatever the name says.
        string gzipped = dir.WriteBytes("digits.csv.gz", System.Text.Encoding.UTF8.GetBytes(text), gzip: true);
        var data = CsvFile.Read(gzipped).ToDataset(classes: true);
        Assert.Equal([1f, 2, 3, 4], data.Features.ToFloatArray());
        Assert.Equal([0L, 1], data.Targets.ToInt64Array());
        Assert.Equal(gzipped, data.Source);

        var corrupt = File.ReadAllBytes(gzipped);
        corrupt[2] = 0; // the compression method: deflate is 8
        string bad = dir.WriteBytes("bad.csv.gz", corrupt);
        Assert.StartsWith($"{bad}: corrupt gzip data", Assert.Throws<DataFileException>(() => CsvFile.Read(bad)).Message);
    }
}

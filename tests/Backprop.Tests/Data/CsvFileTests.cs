using Backprop.Data;

namespace Backprop.Tests.Data;

public class CsvFileTests
{
    [Fact]
    public void TargetByNameOrIndexOrLast()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "a,label,b\n1,0,2\n3,1,4.5\n");
        var byName = CsvFile.Read(path, "label", classification: true);
        Assert.Equal([1f, 2, 3, 4.5f], byName.Features.ToFloatArray());
        Assert.Equal([0L, 1], byName.Targets.ToInt64Array());
        Assert.Equal(DType.Int64, byName.Targets.DType); // class indices, as PyTorch keeps them
        Assert.Equal(2, byName.ClassCount);
        Assert.Equal([0f, 1], CsvFile.Read(path, "1", classification: true).Targets.ToFloatArray());
        var last = CsvFile.Read(path, null, classification: false);
        Assert.Equal([2f, 4.5f], last.Targets.ToFloatArray());
        Assert.Equal(DType.Float32, last.Targets.DType); // values
        Assert.Null(last.ClassCount);
    }

    [Fact]
    public void CellThatIsNotANumberNamesLineAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x,y\n1,2\n3,abc\n");
        Assert.Equal($"{path}: line 3, column 'y': 'abc' is not a number", Assert.Throws<DataFileException>(() => CsvFile.Read(path, null, false)).Message);
    }

    [Fact]
    public void RaggedRowsAndMissingColumnsAreNamed()
    {
        using var dir = new TempDirectory();
        string ragged = dir.WriteText("r.csv", "x,y\n1,2,3\n");
        Assert.EndsWith("line 2 has 3 cells, the header has 2", Assert.Throws<DataFileException>(() => CsvFile.Read(ragged, null, false)).Message);
        string ok = dir.WriteText("ok.csv", "x,y\n1,2\n");
        Assert.EndsWith("no column 'z' (columns: x, y)", Assert.Throws<DataFileException>(() => CsvFile.Read(ok, "z", false)).Message);
        string empty = dir.WriteText("e.csv", "\n");
        Assert.EndsWith("is empty (expected a header row of column names)", Assert.Throws<DataFileException>(() => CsvFile.Read(empty, null, false)).Message);
    }

    [Fact]
    public void ClassificationTargetsMustBeClassIndices()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x,y\n1,0\n2,0.5\n");
        Assert.EndsWith("line 3, column 'y': target 0.5 is not a class index (a whole number from 0)", Assert.Throws<DataFileException>(() => CsvFile.Read(path, null, true)).Message);
    }

    [Fact]
    public void FeaturesOnlyForPrediction()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("d.csv", "x1,x2,y\n1,2,0\n3,4,1\n");
        Assert.Equal([1f, 2, 0, 3, 4, 1], CsvFile.ReadFeatures(path, null).ToFloatArray());
        Assert.Equal([1f, 2, 3, 4], CsvFile.ReadFeatures(path, "y").ToFloatArray());
    }
}

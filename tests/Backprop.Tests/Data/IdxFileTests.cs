using Backprop.Data;

namespace Backprop.Tests.Data;

public class IdxFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsRawAndGzippedFiles(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteIdx("images", [2, 1, 3], [0, 1, 2, 253, 254, 255], gzip);
        var (values, dims) = IdxFile.Read(path);
        Assert.Equal([2, 1, 3], dims);
        Assert.Equal([0f, 1, 2, 253, 254, 255], values);
    }

    [Fact]
    public void DatasetScalesPixelsAndPairsLabels()
    {
        using var dir = new TempDirectory();
        var data = Dataset.FromIdx(dir.WriteIdx("i", [2, 2, 1], [0, 255, 51, 102]), dir.WriteIdx("l", [2], [3, 7], gzip: true));
        Assert.Equal(new Shape(2, 2), data.Features.Shape);
        Assert.Equal([0f, 1f, 0.2f, 0.4f], data.Features.ToFloatArray());
        Assert.Equal([3f, 7f], data.Targets.ToFloatArray());
        Assert.Equal(8, data.ClassCount);
    }

    [Fact]
    public void WrongMagicNumber()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("bad", [1, 2, 8, 1, 0, 0, 0, 0]);
        var e = Assert.Throws<DataFileException>(() => IdxFile.Read(path));
        Assert.Equal($"{path}: not an IDX file (wrong magic number 01020801; expected 00 00, a type code and a dimension count)", e.Message);
    }

    [Fact]
    public void UnknownTypeCode()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("bad", [0, 0, 0x07, 1, 0, 0, 0, 0]);
        Assert.EndsWith("unknown IDX type code 0x07", Assert.Throws<DataFileException>(() => IdxFile.Read(path)).Message);
    }

    [Fact]
    public void TruncatedAndTrailingData()
    {
        using var dir = new TempDirectory();
        string shortFile = dir.WriteIdx("short", [2, 3], [1, 2, 3, 4, 5]);
        Assert.EndsWith("truncated: dimensions 2x3 of unsigned byte need 18 bytes, the file has 17", Assert.Throws<DataFileException>(() => IdxFile.Read(shortFile)).Message);
        string longFile = dir.WriteIdx("long", [2], [1, 2, 3]);
        Assert.EndsWith("has trailing bytes: dimensions 2 of unsigned byte need 10 bytes, the file has 11", Assert.Throws<DataFileException>(() => IdxFile.Read(longFile)).Message);
        string header = dir.WriteBytes("header", [0, 0, 8, 3, 0, 0]);
        Assert.EndsWith("truncated: 6 bytes cannot hold the header of 3 dimensions", Assert.Throws<DataFileException>(() => IdxFile.Read(header)).Message);
    }

    [Fact]
    public void LabelCountMustMatchImages()
    {
        using var dir = new TempDirectory();
        string images = dir.WriteIdx("i", [3, 1], [1, 2, 3]);
        string labels = dir.WriteIdx("l", [2], [0, 1]);
        Assert.Equal($"{labels}: 2 labels for 3 images in {images}", Assert.Throws<DataFileException>(() => Dataset.FromIdx(images, labels)).Message);
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        var e = Assert.Throws<DataFileException>(() => IdxFile.Read("/no/such/file"));
        Assert.StartsWith("/no/such/file: cannot be read", e.Message);
    }
}

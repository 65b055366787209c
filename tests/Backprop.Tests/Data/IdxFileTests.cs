using Backprop.Data;
using Backprop.IO;

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
        Assert.Equal(new Shape(2, 1, 2, 1), data.Features.Shape); // 2-D images gain a channel axis
        Assert.Equal([0f, 1f, 0.2f, 0.4f], data.Features.ToFloatArray());
        Assert.Equal([3L, 7L], data.Targets.ToInt64Array());
        Assert.Equal(DType.Int64, data.Targets.DType); // class indices, as PyTorch keeps them
        Assert.Equal(8, data.ClassCount);
        Assert.All(new DataLoader(data, 1), batch => Assert.Equal(DType.Int64, batch.Targets.DType));
    }

    [Fact]
    public void ImagesGainAChannelAxisOtherExamplesKeepTheirShape()
    {
        using var dir = new TempDirectory();
        Assert.Equal(new Shape(2, 1, 2, 3), IdxFile.ReadImages(dir.WriteIdx("images", [2, 2, 3], new byte[12])).Shape);
        Assert.Equal(new Shape(2, 5), IdxFile.ReadImages(dir.WriteIdx("rows", [2, 5], new byte[10])).Shape);
        Assert.Equal(new Shape(2, 1), IdxFile.ReadImages(dir.WriteIdx("values", [2], new byte[2])).Shape);
        Assert.Equal(new Shape(1, 3, 2, 2), IdxFile.ReadImages(dir.WriteIdx("colour", [1, 3, 2, 2], new byte[12])).Shape);
        Assert.Equal(new Shape(0, 1, 28, 28), IdxFile.ReadImages(dir.WriteIdx("none", [0, 28, 28], [])).Shape);
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
        Assert.EndsWith("truncated: the file ends inside the header of 3 dimensions", Assert.Throws<DataFileException>(() => IdxFile.Read(header)).Message);
    }

    [Fact]
    public void GzippedDataIsReadOnlyUpToTheDeclaredSize()
    {
        using var dir = new TempDirectory();
        string shortFile = dir.WriteIdx("short", [2, 3], [1, 2, 3, 4, 5], gzip: true);
        Assert.EndsWith("truncated: dimensions 2x3 of unsigned byte need 6 bytes of data, the gzip data holds 5", Assert.Throws<DataFileException>(() => IdxFile.Read(shortFile)).Message);
        string longFile = dir.WriteIdx("long", [2], [1, 2, 3], gzip: true);
        Assert.EndsWith("has trailing bytes: dimensions 2 of unsigned byte need 2 bytes of data, the gzip data holds more", Assert.Throws<DataFileException>(() => IdxFile.Read(longFile)).Message);

        // A gzip bomb: 64 MB of zeros in a file of under 1 MB that declares a 10-byte image. Reading stops at byte 11.
        string bomb = dir.WriteIdx("bomb", [10], new byte[64 << 20], gzip: true);
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.EndsWith("has trailing bytes: dimensions 10 of unsigned byte need 10 bytes of data, the gzip data holds more", Assert.Throws<DataFileException>(() => IdxFile.Read(bomb)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the reader decompressed far past the declared size");
    }

    [Fact]
    public void ARawFileThatClaimsHugeDimensionsIsRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("huge", [0, 0, 8, 2, 0, 0, 0x40, 0, 0, 0, 0x40, 0, 1, 2, 3]); // 16384 × 16384 bytes declared, 3 present
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.EndsWith("truncated: dimensions 16384x16384 of unsigned byte need 268435468 bytes, the file has 15", Assert.Throws<DataFileException>(() => IdxFile.Read(path)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
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

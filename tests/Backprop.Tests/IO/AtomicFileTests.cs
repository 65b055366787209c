using Backprop.IO;

namespace Backprop.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void AFileThatCannotBeWrittenIsNamedNotItsTemporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("missing/model.bin");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => stream.WriteByte(1)));
        Assert.Equal($"{path}: cannot be written (Could not find a part of the path '{path}'.)", e.Message);
        Assert.Empty(dir.Snapshot());
    }
}

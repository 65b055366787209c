using System.IO.Compression;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Data files raw or gzipped, told apart by gzip's magic bytes (1F 8B), not by the file's name, so that
/// <c>train-images-idx3-ubyte.gz</c> and <c>digits.csv.gz</c> read as their raw forms do.
/// </summary>
internal static class Gzip
{
    /// <summary>
    /// Calls <paramref name="read"/> with the contents of <paramref name="file"/>, decompressed when they are gzip, and whether
    /// they were; corrupt gzip data becomes a <see cref="DataFileException"/> naming <paramref name="name"/>. A stream that
    /// cannot seek (a pipe, such as <c>--data &lt;(zcat …)</c>) is copied whole first, since its first bytes are read twice.
    /// </summary>
    public static T Read<T>(Stream file, string name, Func<Stream, bool, T> read)
    {
        using var seekable = file.CanSeek ? null : new MemoryStream();
        if (seekable is not null)
        {
            file.CopyTo(seekable);
            seekable.Position = 0;
        }
        Stream contents = (Stream?)seekable ?? file;
        try
        {
            bool gzipped = IsGzip(contents);
            using var gzip = gzipped ? new GZipStream(contents, CompressionMode.Decompress, leaveOpen: true) : null;
            return read((Stream?)gzip ?? contents, gzipped);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(name, $"corrupt gzip data ({e.Message})");
        }
    }

    private static bool IsGzip(Stream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}

using System.Buffers.Binary;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, raw or gzipped (detected by its magic bytes, not its name):
/// two zero bytes, a type code, the number of dimensions, each dimension as a big-endian int32, then the values.
/// </summary>
public static class IdxFile
{
    private static readonly Dictionary<byte, (string Name, int Size)> Types = new()
    {
        [0x08] = ("unsigned byte", 1),
        [0x09] = ("signed byte", 1),
        [0x0B] = ("int16", 2),
        [0x0C] = ("int32", 4),
        [0x0D] = ("float32", 4),
        [0x0E] = ("float64", 8),
    };

    /// <summary>
    /// The values as float32 with the file's dimensions. The header is checked (magic, type code, dimension count) and the
    /// declared size against the data that is really there before the values are allocated: a raw file's length must match
    /// exactly, and gzipped data is decompressed only up to the declared size (one byte more reveals trailing data), so a
    /// small file cannot make the reader allocate much more than it holds.
    /// </summary>
    public static (float[] Values, int[] Dims) Read(string path) =>
        DataFileException.ReadFile(path, file => Read(file, path));

    /// <summary>
    /// An IDX file of images as examples [N, …] with values / 255 (bytes become [0, 1]): 2-D images [N, H, W] gain a channel
    /// axis, [N, 1, H, W], as convolutional layers take them; 1-D examples stay [N, F]; a file of single values is [N, 1].
    /// </summary>
    public static Tensor ReadImages(string path)
    {
        var (pixels, dims) = Read(path);
        for (int i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
        int[] example = dims.Length switch
        {
            1 => [1],
            3 => [1, dims[1], dims[2]],
            _ => dims[1..],
        };
        return Tensor.FromArray(pixels, [dims[0], .. example]);
    }

    /// <summary>Reads an IDX file from a stream (see <see cref="Read(string)"/>); <paramref name="name"/> names it in errors.</summary>
    public static (float[] Values, int[] Dims) Read(Stream file, string name) => Gzip.Read(file, name, (stream, gzipped) =>
    {
        var (typeCode, dims, count) = ReadHeader(name, stream);
        long dataLength = count * Types[typeCode].Size;
        long headerLength = 4 + 4L * dims.Length;
        byte[] data;
        if (gzipped)
        {
            data = ReadCapped(name, stream, dataLength, dims, typeCode);
        }
        else
        {
            if (stream.Length - headerLength != dataLength) throw SizeMismatch(name, dims, typeCode, headerLength + dataLength, stream.Length);
            data = new byte[dataLength];
            stream.ReadExactly(data);
        }
        return (Decode(data, typeCode, (int)count), dims);
    });

    /// <summary>
    /// Whether <paramref name="path"/> starts as an IDX file does (two zero bytes), raw or inside gzip data: how a reader of
    /// either IDX images or CSV rows tells them apart.
    /// </summary>
    public static bool IsIdx(string path) => DataFileException.ReadFile(path, file =>
    {
        try
        {
            return Gzip.Read(file, path, (stream, _) =>
            {
                Span<byte> magic = stackalloc byte[2];
                return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0 && magic[1] == 0;
            });
        }
        catch (DataFileException)
        {
            return false; // corrupt gzip data: the CSV reader will say so as well as the IDX reader would
        }
    });

    private static (byte TypeCode, int[] Dims, long Count) ReadHeader(string path, Stream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (read < 4 || magic[0] != 0 || magic[1] != 0)
        {
            throw new DataFileException(path, $"not an IDX file (wrong magic number {Convert.ToHexString(magic[..read]).ToLowerInvariant()}; expected 00 00, a type code and a dimension count)");
        }
        if (!Types.ContainsKey(magic[2])) throw new DataFileException(path, $"unknown IDX type code 0x{magic[2]:X2}");
        int rank = magic[3];
        if (rank == 0) throw new DataFileException(path, "IDX header declares no dimensions");
        var header = new byte[4 * rank];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw new DataFileException(path, $"truncated: the file ends inside the header of {rank} dimensions");
        }

        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (dims[i] < 0) throw new DataFileException(path, $"dimension {i} is negative ({dims[i]})");
            count *= dims[i];
            if (count > Array.MaxLength) throw new DataFileException(path, $"declares more values than an array can hold ({string.Join('x', dims[..(i + 1)])})");
        }
        return (magic[2], dims, count);
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes of decompressed data, growing the buffer only as data arrives.</summary>
    private static byte[] ReadCapped(string path, Stream stream, long length, int[] dims, byte typeCode)
    {
        using var data = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (data.Length < length)
        {
            int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, length - data.Length));
            if (read == 0) throw new DataFileException(path, $"truncated: dimensions {string.Join('x', dims)} of {Types[typeCode].Name} need {length} bytes of data, the gzip data holds {data.Length}");
            data.Write(chunk, 0, read);
        }
        if (stream.Read(chunk, 0, 1) > 0) throw new DataFileException(path, $"has trailing bytes: dimensions {string.Join('x', dims)} of {Types[typeCode].Name} need {length} bytes of data, the gzip data holds more");
        return data.ToArray();
    }

    private static DataFileException SizeMismatch(string path, int[] dims, byte typeCode, long expected, long actual) =>
        new(path, $"{(actual < expected ? "truncated" : "has trailing bytes")}: dimensions {string.Join('x', dims)} of {Types[typeCode].Name} need {expected} bytes, the file has {actual}");

    private static float[] Decode(ReadOnlySpan<byte> data, byte typeCode, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = typeCode switch
            {
                0x08 => data[i],
                0x09 => (sbyte)data[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]),
            };
        }
        return values;
    }
}

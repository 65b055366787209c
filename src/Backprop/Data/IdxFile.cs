using System.Buffers.Binary;
using System.IO.Compression;

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

    /// <summary>The values as float32 with the file's dimensions.</summary>
    public static (float[] Values, int[] Dims) Read(string path)
    {
        var bytes = Load(path);
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new DataFileException(path, $"not an IDX file (wrong magic number {Hex(bytes)}; expected 00 00, a type code and a dimension count)");
        }
        if (!Types.TryGetValue(bytes[2], out var type)) throw new DataFileException(path, $"unknown IDX type code 0x{bytes[2]:X2}");
        int rank = bytes[3];
        if (rank == 0) throw new DataFileException(path, "IDX header declares no dimensions");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength) throw new DataFileException(path, $"truncated: {bytes.Length} bytes cannot hold the header of {rank} dimensions");

        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] < 0) throw new DataFileException(path, $"dimension {i} is negative ({dims[i]})");
            count *= dims[i];
            if (count > Array.MaxLength) throw new DataFileException(path, $"declares more values than an array can hold ({string.Join('x', dims[..(i + 1)])})");
        }
        long expected = headerLength + count * type.Size;
        if (bytes.Length != expected)
        {
            string what = bytes.Length < expected ? "truncated" : "has trailing bytes";
            throw new DataFileException(path, $"{what}: dimensions {string.Join('x', dims)} of {type.Name} need {expected} bytes, the file has {bytes.Length}");
        }
        return (Decode(bytes.AsSpan(headerLength), bytes[2], (int)count), dims);
    }

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

    /// <summary>The file's bytes, gunzipped when it starts with the gzip magic 1F 8B.</summary>
    private static byte[] Load(string path)
    {
        byte[] raw;
        try { raw = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFileException(path, $"cannot be read ({e.Message})"); }
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var result = new MemoryStream();
            gzip.CopyTo(result);
            return result.ToArray();
        }
        catch (InvalidDataException e) { throw new DataFileException(path, $"corrupt gzip data ({e.Message})"); }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes.AsSpan(0, Math.Min(4, bytes.Length))).ToLowerInvariant();
}

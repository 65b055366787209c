using System.Buffers.Binary;
using System.Text.Json;

namespace Backprop.IO;

/// <summary>The contents of a safetensors file: named tensors in file order, and the string metadata.</summary>
public sealed record SafetensorsContent(OrderedDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each tensor name to
/// its dtype, shape and [begin, end) byte offsets in the data section, an optional <c>__metadata__</c> map of strings, then the
/// little-endian data. Files written here load in PyTorch with <c>safetensors.torch.load_file</c>, and back.
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// Writes the tensors as F32 (float64 ones too, unless <paramref name="keepFloat64"/> asks for F64; int64 ones as I64,
    /// as PyTorch writes a BatchNorm's <c>num_batches_tracked</c>) and the metadata, atomically: a failed write leaves the old file.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null, bool keepFloat64 = false) =>
        AtomicFile.Write(path, stream => Write(stream, tensors, metadata, keepFloat64));

    /// <summary>Writes the file's bytes to <paramref name="stream"/>, as <see cref="Save"/> writes them to a file (for a download in the browser, say).</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null, bool keepFloat64 = false)
    {
        var entries = tensors.Select(e => KeyValuePair.Create(e.Key, e.Value.DType == DType.Float64 && !keepFloat64 ? e.Value.To(DType.Float32) : e.Value)).ToList();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                long size = (long)tensor.Count * ElementSize(tensor.DType);
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.DType switch { DType.Float32 => "F32", DType.Float64 => "F64", _ => "I64" });
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does, so the data is aligned.
        int padding = (int)((8 - header.Length % 8) % 8);
        for (int i = 0; i < padding; i++) header.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var (_, tensor) in entries) WriteData(stream, tensor);
    }

    /// <summary>
    /// Reads every tensor (F32, F16 and BF16 become float32, F64 stays float64; I64, I32, U8 and BOOL become int64, the only
    /// integer dtype Backprop has, BOOL as 0 and 1) and the metadata. The header is checked by
    /// the format's rules (see <see cref="SafetensorsHeader"/>) against the file's length before anything is allocated
    /// for the tensors, so a malformed file ends in a <see cref="DataFileException"/> that says what is wrong, and never
    /// makes the reader allocate more than the file holds.
    /// </summary>
    public static SafetensorsContent Load(string path) =>
        DataFileException.ReadFile(path, file => Load(file, path));

    /// <summary>Reads a safetensors file from a seekable stream (see <see cref="Load(string)"/>); <paramref name="name"/> names it in errors.</summary>
    public static SafetensorsContent Load(Stream stream, string name)
    {
        var header = ReadHeader(stream, name);
        return new SafetensorsContent(ReadTensors(stream, header), header.Metadata);
    }

    /// <summary>
    /// Reads and checks the header alone (names, dtypes, shapes, offsets and metadata; see <see cref="SafetensorsHeader"/>),
    /// refusing a dtype Backprop does not read, so that what the tensors are can be checked before their data is read.
    /// </summary>
    internal static SafetensorsHeader ReadHeader(Stream stream, string name)
    {
        long length = stream.Length;
        if (length < 8) throw new DataFileException(name, $"too small for a safetensors file ({length} bytes; the header length alone takes 8)");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafetensorsHeader.MaxLength) throw new DataFileException(name, $"header length {headerLength} is larger than the format allows ({SafetensorsHeader.MaxLength} bytes)");
        if (headerLength > (ulong)(length - 8)) throw new DataFileException(name, $"header length {headerLength} runs past the end of the file ({length} bytes)");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = SafetensorsHeader.Parse(name, headerBytes, length - 8 - (long)headerLength);
        foreach (var entry in header.Entries)
        {
            if (!SafetensorsHeader.Readable.Contains(entry.DType))
            {
                throw new DataFileException(name, $"tensor '{entry.Name}' has dtype '{entry.DType}', which Backprop does not read (it reads {string.Join(", ", SafetensorsHeader.Readable)})");
            }
        }
        return header;
    }

    /// <summary>The tensors of a file whose <paramref name="header"/> <see cref="ReadHeader"/> read, in the header's order.</summary>
    internal static OrderedDictionary<string, Tensor> ReadTensors(Stream stream, SafetensorsHeader header)
    {
        var tensors = new OrderedDictionary<string, Tensor>();
        foreach (var entry in header.Entries)
        {
            var bytes = new byte[entry.End - entry.Begin];
            stream.Position = header.DataStart + entry.Begin;
            stream.ReadExactly(bytes);
            tensors.Add(entry.Name, Decode(entry, bytes));
        }
        return tensors;
    }

    /// <summary>Little-endian values of a checked entry as a tensor: float64 for F64, int64 for the integer dtypes, float32 for the rest.</summary>
    private static Tensor Decode(SafetensorsHeader.Entry entry, ReadOnlySpan<byte> bytes)
    {
        int count = entry.Shape.NumElements;
        if (entry.DType is "I64" or "I32" or "U8" or "BOOL")
        {
            var integers = new long[count];
            for (int i = 0; i < count; i++)
            {
                integers[i] = entry.DType switch
                {
                    "I64" => BinaryPrimitives.ReadInt64LittleEndian(bytes[(8 * i)..]),
                    "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]),
                    "U8" => bytes[i],
                    _ => bytes[i] == 0 ? 0 : 1, // BOOL: any non-zero byte is true, as NumPy and PyTorch read it
                };
            }
            return Tensor.FromArray(integers, entry.Shape);
        }
        if (entry.DType == "F64")
        {
            var values = new double[count];
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
            return Tensor.FromArray(values, entry.Shape);
        }
        var floats = new float[count];
        for (int i = 0; i < count; i++)
        {
            floats[i] = entry.DType switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16), // BF16: the top half of a float32
            };
        }
        return Tensor.FromArray(floats, entry.Shape);
    }

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? 4 : 8; // float64 and int64: 8

    private static void WriteData(Stream stream, Tensor tensor)
    {
        var bytes = new byte[tensor.Count * ElementSize(tensor.DType)];
        if (tensor.DType == DType.Float32)
        {
            var values = tensor.Span<float>();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        else if (tensor.DType == DType.Int64)
        {
            var values = tensor.Span<long>();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        else
        {
            var values = tensor.Span<double>();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        stream.Write(bytes);
    }
}

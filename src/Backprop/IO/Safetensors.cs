using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Backprop.Data;

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
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors (float32 as F32, float64 as F64) and metadata atomically: a failed write leaves the old file.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.ToList();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                long size = (long)tensor.Count * ElementSize(tensor.DType);
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.DType == DType.Float32 ? "F32" : "F64");
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

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var (_, tensor) in entries) WriteData(stream, tensor);
        });
    }

    /// <summary>Reads every tensor (F32, F64, F16 and BF16 become float32, except F64 which stays float64) and the metadata.</summary>
    public static SafetensorsContent Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DataFileException(path, $"cannot be read ({e.Message})"); }
        if (bytes.Length < 8) throw new DataFileException(path, $"too small for a safetensors file ({bytes.Length} bytes)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new DataFileException(path, $"header length {headerLength} runs past the end of the file ({bytes.Length} bytes)");
        var data = bytes.AsMemory(8 + (int)headerLength);

        JsonDocument document;
        try { document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw new DataFileException(path, $"header is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new DataFileException(path, "header is not a JSON object");
            var tensors = new OrderedDictionary<string, Tensor>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else tensors.Add(property.Name, ReadTensor(path, property.Name, property.Value, data.Span));
            }
            return new SafetensorsContent(tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new DataFileException(path, "__metadata__ is not an object");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String) throw new DataFileException(path, $"__metadata__ value '{entry.Name}' is not a string");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static Tensor ReadTensor(string path, string name, JsonElement entry, ReadOnlySpan<byte> data)
    {
        try
        {
            string dtype = entry.GetProperty("dtype").GetString() ?? "";
            var shape = new Shape([.. entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())]);
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            int size = dtype switch { "F64" => 8, "F32" => 4, "F16" or "BF16" => 2, _ => throw new DataFileException(path, $"tensor '{name}' has unsupported dtype '{dtype}'") };
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != (long)shape.Count * size)
            {
                throw new DataFileException(path, $"tensor '{name}': data offsets [{string.Join(',', offsets)}] do not hold shape {shape} of {dtype} within {data.Length} data bytes");
            }
            var bytes = data[(int)offsets[0]..(int)offsets[1]];
            if (dtype == "F64")
            {
                var values = new double[shape.Count];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                return Tensor.FromArray(values, shape);
            }
            var floats = new float[shape.Count];
            for (int i = 0; i < floats.Length; i++)
            {
                floats[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]),
                    _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16), // BF16: the top half of a float32
                };
            }
            return Tensor.FromArray(floats, shape);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new DataFileException(path, $"tensor '{name}' has a malformed header entry ({e.Message})");
        }
    }

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? 4 : 8;

    private static void WriteData(Stream stream, Tensor tensor)
    {
        var bytes = new byte[tensor.Count * ElementSize(tensor.DType)];
        if (tensor.DType == DType.Float32)
        {
            var values = tensor.Span<float>();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        else
        {
            var values = tensor.Span<double>();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        stream.Write(bytes);
    }
}

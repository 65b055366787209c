using System.Text.Json;
using System.Text;

namespace Backprop.IO;

/// <summary>
/// A safetensors header, parsed and checked by the format's own rules (those of the reference implementation's
/// <c>validate</c>) before any tensor is allocated: valid UTF-8 JSON object, no duplicate keys, known dtypes, shapes
/// whose element and byte counts do not overflow, offsets that start at 0 and follow each other without gaps or
/// overlaps, each tensor's bytes equal to its element count times its dtype's size, the data ending exactly at the end
/// of the file, and <c>__metadata__</c> a map of strings to strings.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation refuses larger headers (100 MB).</summary>
    public const long MaxLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>One tensor's entry: where its bytes lie in the data section.</summary>
    public sealed record Entry(string Name, string DType, Shape Shape, long Begin, long End);

    private static readonly Dictionary<string, int> DTypeSizes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
    };

    /// <summary>The dtypes Backprop reads (into float32, float64 for F64, int64 for the integer dtypes and BOOL).</summary>
    public static readonly IReadOnlySet<string> Readable = new HashSet<string> { "F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL" };

    private SafetensorsHeader(IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>The tensors in the order the header lists them.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts in the file: after the 8-byte length and the header.</summary>
    public long DataStart { get; }

    /// <summary>Parses <paramref name="header"/> and checks it against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> header, long dataLength)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(header);
        }
        catch (DecoderFallbackException)
        {
            throw new DataFileException(path, "header is not valid UTF-8");
        }
        if (!text.StartsWith('{')) throw new DataFileException(path, "header does not start with '{' (not a JSON object)");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DataFileException(path, $"header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var metadata = new Dictionary<string, string>();
            var entries = new List<Entry>();
            var names = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw new DataFileException(path, $"header has the key '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            CheckLayout(path, entries, dataLength);
            return new SafetensorsHeader(entries, metadata, 8L + header.Length);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new DataFileException(path, "__metadata__ is not a map of strings");
        var keys = new HashSet<string>();
        foreach (var entry in element.EnumerateObject())
        {
            if (!keys.Add(entry.Name)) throw new DataFileException(path, $"__metadata__ has the key '{entry.Name}' twice");
            if (entry.Value.ValueKind != JsonValueKind.String) throw new DataFileException(path, $"__metadata__ value '{entry.Name}' is not a string");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new DataFileException(path, $"tensor '{name}': entry is not an object");
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new DataFileException(path, $"tensor '{name}': no dtype string");
        }
        string dtype = dtypeElement.GetString()!;
        if (!DTypeSizes.TryGetValue(dtype, out int size)) throw new DataFileException(path, $"tensor '{name}': unknown dtype '{dtype}'");

        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new DataFileException(path, $"tensor '{name}': no shape array");
        }
        var dims = new List<int>();
        long count = 1, bytes = size;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetUInt64(out ulong dim)) throw new DataFileException(path, $"tensor '{name}': shape {shapeElement} holds something other than sizes");
            // The element and byte counts, overflow-checked: a shape may not claim more than 2^63 bytes.
            try
            {
                count = checked(count * (long)dim);
                bytes = checked(bytes * (long)dim);
            }
            catch (OverflowException)
            {
                throw new DataFileException(path, $"tensor '{name}': shape {shapeElement} overflows when its size is computed");
            }
            if (dim > int.MaxValue) throw new DataFileException(path, $"tensor '{name}': dimension {dim} is larger than Backprop's tensors allow");
            dims.Add((int)dim);
        }
        if (count > Array.MaxLength) throw new DataFileException(path, $"tensor '{name}': {count} elements are more than one tensor can hold");

        if (!element.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < 0)
        {
            throw new DataFileException(path, $"tensor '{name}': data_offsets is not a pair of byte offsets");
        }
        if (end - begin != bytes)
        {
            throw new DataFileException(path, $"tensor '{name}': data_offsets [{begin},{end}] hold {end - begin} bytes, but shape {new Shape([.. dims])} of {dtype} needs {bytes}");
        }
        return new Entry(name, dtype, new Shape([.. dims]), begin, end);
    }

    /// <summary>Offsets, in order, must tile the data section exactly: from 0, no gaps, no overlaps, nothing after.</summary>
    private static void CheckLayout(string path, List<Entry> entries, long dataLength)
    {
        long next = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != next)
            {
                throw new DataFileException(path, entry.Begin < next
                    ? $"tensor '{entry.Name}': its data at [{entry.Begin},{entry.End}] overlaps the tensor before it, which ends at {next}"
                    : $"tensor '{entry.Name}': its data starts at {entry.Begin}, leaving a gap after byte {next}");
            }
            next = entry.End;
        }
        if (next != dataLength)
        {
            throw new DataFileException(path, next < dataLength
                ? $"{dataLength - next} bytes after the last tensor's data (the data ends at {next} of {dataLength})"
                : $"the data section is {dataLength} bytes, but the tensors need {next}: the file is truncated");
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Tests.IO;

public class SafetensorsTests
{
    [Fact]
    public void RoundTripKeepsNamesOrderShapesValuesAndMetadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.Randn([3, 2], new Generator(1)),
            ["0.bias"] = Tensor.FromArray([1f, -2f, 3.5f]),
            ["scalar"] = Tensor.Scalar(0.25, DType.Float64),
        };
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["k"] = "v" }, keepFloat64: true);

        var loaded = Safetensors.Load(path);
        Assert.Equal(["0.weight", "0.bias", "scalar"], loaded.Tensors.Keys);
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.Shape, loaded.Tensors[name].Shape);
            Assert.Equal(tensor.DType, loaded.Tensors[name].DType);
            Assert.Equal(tensor.ToDoubleArray(), loaded.Tensors[name].ToDoubleArray());
        }
        Assert.Equal("v", loaded.Metadata["k"]);
    }

    [Fact]
    public void Float64IsWrittenAsFloat32UnlessAskedFor()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([0.1, 2.0]) });
        var loaded = Safetensors.Load(path).Tensors["w"];
        Assert.Equal(DType.Float32, loaded.DType);
        Assert.Equal([0.1f, 2f], loaded.ToFloatArray());
    }

    [Fact]
    public void ZeroSizedAndZeroDimensionalTensorsAreAccepted()
    {
        using var dir = new TempDirectory();
        var data = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(data, 7f);
        // As the format's own tests: an empty tensor takes no bytes, a 0-d tensor one element; spaces may pad the header.
        var loaded = Safetensors.Load(WriteRaw(dir, """{"empty":{"dtype":"F32","shape":[2,0],"data_offsets":[0,0]},"scalar":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}    """, data));
        Assert.Equal(new Shape(2, 0), loaded.Tensors["empty"].Shape);
        Assert.Equal(0, loaded.Tensors["empty"].Count);
        Assert.Equal(Shape.Scalar, loaded.Tensors["scalar"].Shape);
        Assert.Equal(7.0, loaded.Tensors["scalar"].Item());
    }

    [Fact]
    public void LayoutFollowsTheFormat()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f]) });
        var bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd();
        Assert.Equal("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", header);
        Assert.Equal(8 + headerLength + 8, bytes.Length);
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + headerLength + 4)));
    }

    [Fact]
    public void ReadsHalfAndBFloat16AsFloat32()
    {
        using var dir = new TempDirectory();
        string json = """{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]}}""";
        var data = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)(BitConverter.SingleToInt32Bits(-2.5f) >> 16));
        var loaded = Safetensors.Load(WriteRaw(dir, json, data));
        Assert.Equal(1.5, loaded.Tensors["h"].Item());
        Assert.Equal(-2.5, loaded.Tensors["b"].Item());
    }

    [Fact]
    public void Int64RoundTripsAsI64()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        var count = Tensor.FromArray([long.MaxValue, -5, 0], [3]);
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["bn.num_batches_tracked"] = Tensor.Scalar(24, DType.Int64), ["c"] = count });
        var bytes = File.ReadAllBytes(path);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)).TrimEnd();
        Assert.Equal("""{"bn.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"c":{"dtype":"I64","shape":[3],"data_offsets":[8,32]}}""", header);

        var loaded = Safetensors.Load(path).Tensors;
        Assert.Equal(DType.Int64, loaded["bn.num_batches_tracked"].DType);
        Assert.Equal(Shape.Scalar, loaded["bn.num_batches_tracked"].Shape);
        Assert.Equal(24, loaded["bn.num_batches_tracked"].Item());
        Assert.Equal([long.MaxValue, -5, 0], loaded["c"].ToInt64Array());
    }

    [Fact]
    public void ReadsI32U8AndBoolAsInt64()
    {
        using var dir = new TempDirectory();
        string json = """{"i":{"dtype":"I32","shape":[2],"data_offsets":[0,8]},"u":{"dtype":"U8","shape":[2],"data_offsets":[8,10]},"b":{"dtype":"BOOL","shape":[3],"data_offsets":[10,13]}}""";
        var data = new byte[13];
        BinaryPrimitives.WriteInt32LittleEndian(data, -7);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), int.MaxValue);
        data[8] = 255;
        data[9] = 3;
        data[10] = 1;
        data[12] = 2; // a non-zero byte reads as true, as NumPy and PyTorch read it
        var loaded = Safetensors.Load(WriteRaw(dir, json, data)).Tensors;
        Assert.All(loaded.Values, t => Assert.Equal(DType.Int64, t.DType));
        Assert.Equal([-7L, int.MaxValue], loaded["i"].ToInt64Array());
        Assert.Equal([255L, 3], loaded["u"].ToInt64Array());
        Assert.Equal([1L, 0, 1], loaded["b"].ToInt64Array());
    }

    [Fact]
    public void IntegerEntriesAreCheckedByTheSameRules()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes("short", Raw("""{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}""", new byte[8]));
        Assert.EndsWith("tensor 'n': data_offsets [0,8] hold 8 bytes, but shape [2] of I64 needs 16", Assert.Throws<DataFileException>(() => Safetensors.Load(path)).Message);
        path = dir.WriteBytes("bool", Raw("""{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}""", new byte[3]));
        Assert.EndsWith("1 bytes after the last tensor's data (the data ends at 2 of 3)", Assert.Throws<DataFileException>(() => Safetensors.Load(path)).Message);
    }

    /// <summary>
    /// The malformed cases of the format's own test suite (the reference implementation's), and a few more: each is
    /// refused with its own message.
    /// </summary>
    public static TheoryData<string, byte[], string> MalformedFiles() => new()
    {
        { "header too small", [1, 2, 3], "too small for a safetensors file (3 bytes; the header length alone takes 8)" },
        { "header too large", Raw(100_000_001, "{}", []), "header length 100000001 is larger than the format allows (100000000 bytes)" },
        { "invalid header length", Raw(1000, "{}", []), "header length 1000 runs past the end of the file (10 bytes)" },
        { "non-UTF-8 header", Raw([(byte)'{', 0xFF, 0xFE, (byte)'}'], []), "header is not valid UTF-8" },
        { "header not JSON", Raw("{nope", []), "header is not valid JSON (" },
        { "header not an object", Raw("[1,2]", []), "header does not start with '{' (not a JSON object)" },
        { "duplicate keys", Raw("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]), "header has the key 'w' twice" },
        { "unknown dtype", Raw("""{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'w': unknown dtype 'F31'" },
        { "dtype not read", Raw("""{"w":{"dtype":"U16","shape":[1],"data_offsets":[0,2]}}""", new byte[2]), "tensor 'w' has dtype 'U16', which Backprop does not read (it reads F32, F64, F16, BF16, I64, I32, U8, BOOL)" },
        { "negative dimension", Raw("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'w': shape [-1] holds something other than sizes" },
        { "size mismatch", Raw("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'w': data_offsets [0,4] hold 4 bytes, but shape [2] of F32 needs 8" },
        { "overflow in shape × size", Raw("""{"w":{"dtype":"F32","shape":[2305843009213693952,4],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'w': shape [2305843009213693952,4] overflows when its size is computed" },
        { "overlapping offsets", Raw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]), "tensor 'b': its data at [4,8] overlaps the tensor before it, which ends at 8" },
        { "gapped offsets", Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", new byte[12]), "tensor 'b': its data starts at 8, leaving a gap after byte 4" },
        { "trailing bytes", Raw("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[6]), "2 bytes after the last tensor's data (the data ends at 4 of 6)" },
        { "bytes missing", Raw("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[6]), "the data section is 6 bytes, but the tensors need 8: the file is truncated" },
        { "offsets not a pair", Raw("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", new byte[4]), "tensor 'w': data_offsets is not a pair of byte offsets" },
        { "metadata not strings", Raw("""{"__metadata__":{"k":1}}""", []), "__metadata__ value 'k' is not a string" },
        { "metadata not a map", Raw("""{"__metadata__":"k"}""", []), "__metadata__ is not a map of strings" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFilesAreRefusedWithTheirOwnMessage(string @case, byte[] file, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteBytes(@case.Replace(' ', '-'), file);
        var error = Assert.Throws<DataFileException>(() => Safetensors.Load(path));
        Assert.StartsWith($"{path}: {message}", error.Message);
    }

    [Fact]
    public void EveryMalformedCaseHasADistinctMessage() =>
        Assert.Equal(MalformedFiles().Count(), MalformedFiles().Select(row => (string)row[2]).Distinct().Count());

    [Fact]
    public void AMissingFileIsOneLine()
    {
        using var dir = new TempDirectory();
        Assert.StartsWith($"{dir.File("none")}: cannot be read (", Assert.Throws<DataFileException>(() => Safetensors.Load(dir.File("none"))).Message);
    }

    [Fact]
    public void FailedSaveLeavesThePreviousFileAndNoTemporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f]) });
        var before = File.ReadAllBytes(path);

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("interrupted half-way");
        }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    private static string WriteRaw(TempDirectory dir, string header, byte[] data) => dir.WriteBytes(Guid.NewGuid().ToString("N"), Raw(header, data));

    /// <summary>A file of the format's layout: the header's length, the header, the data.</summary>
    internal static byte[] Raw(string header, byte[] data) => Raw(Encoding.UTF8.GetBytes(header), data);

    private static byte[] Raw(byte[] header, byte[] data) => Raw((ulong)header.Length, header, data);

    /// <summary>The same with a declared header length that may differ from the header's.</summary>
    private static byte[] Raw(ulong declaredLength, string header, byte[] data) => Raw(declaredLength, Encoding.UTF8.GetBytes(header), data);

    private static byte[] Raw(ulong declaredLength, byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}

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
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

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
    public void MalformedFilesGiveAClearError()
    {
        using var dir = new TempDirectory();
        string tooSmall = dir.WriteBytes("small", [1, 2, 3]);
        Assert.EndsWith("too small for a safetensors file (3 bytes)", Assert.Throws<DataFileException>(() => Safetensors.Load(tooSmall)).Message);
        string notJson = WriteRaw(dir, "{nope", []);
        Assert.Contains("header is not valid JSON", Assert.Throws<DataFileException>(() => Safetensors.Load(notJson)).Message);
        string badOffsets = WriteRaw(dir, """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", new byte[4]);
        Assert.EndsWith("tensor 'w': data offsets [0,4] do not hold shape [2] of F32 within 4 data bytes", Assert.Throws<DataFileException>(() => Safetensors.Load(badOffsets)).Message);
        string badType = WriteRaw(dir, """{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]);
        Assert.EndsWith("tensor 'w' has unsupported dtype 'I64'", Assert.Throws<DataFileException>(() => Safetensors.Load(badType)).Message);
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

    private static string WriteRaw(TempDirectory dir, string header, byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        return dir.WriteBytes(Guid.NewGuid().ToString("N"), bytes);
    }
}

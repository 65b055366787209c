using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Backprop.Losses;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using CsCheck;

namespace Backprop.Tests.IO;

/// <summary>
/// Random mutations of valid files (truncated, bytes flipped, inserted or deleted, lengths and dimensions overwritten
/// with extreme values, keys duplicated) given to each reader: every one must either read or end in the reader's own
/// <see cref="DataFileException"/> with a message, never another exception, a hang, or an allocation far beyond the
/// input's size. 10,000 inputs per reader, the same in every run (<see cref="FuzzInputs"/>): each test pins the SHA-256 of
/// the inputs it ran, and a failure prints the seed that replays its input.
/// </summary>
public class MalformedInputFuzzTests
{
    private const int Inputs = 10_000;
    private const string Seed = "0N0XIzNsQ0O2";

    [Fact(Timeout = 120_000)]
    public Task SafetensorsReader() => Task.Run(() =>
    {
        string digest = FuzzInputs.Check(SafetensorsInputs(), Inputs, Seed,
            bytes => MustReadOrFailCleanly(bytes.Length, () => Safetensors.Load(new MemoryStream(bytes), "fuzz.safetensors")));
        AssertSameInputsAsAlways("C3DB53ADBBE0881895711E743629F4E80A96C02E656E589856FBAF5B16AA24B2", digest);
    });

    [Theory(Timeout = 120_000)]
    [InlineData(false, "B3A39FF25531A618C8CBFCA42CAB751BC33AA450623A6FFBCCF98905CD8C8617")]
    [InlineData(true, "4DE642A4FF66CFCF20072E7348AC64FB24CD562253D5DCA16DD457137B971220")]
    public Task IdxReader(bool gzip, string expectedDigest) => Task.Run(() =>
    {
        string digest = FuzzInputs.Check(IdxInputs(gzip), Inputs, Seed,
            bytes => MustReadOrFailCleanly(bytes.Length, () => IdxFile.Read(new MemoryStream(bytes), "fuzz.idx")));
        AssertSameInputsAsAlways(expectedDigest, digest);
    });

    [Fact(Timeout = 120_000)]
    public Task CsvReader() => Task.Run(() =>
    {
        using var dir = new TempDirectory();
        string path = dir.File("fuzz.csv");
        string digest = FuzzInputs.Check(CsvInputs(), Inputs, Seed, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            MustReadOrFailCleanly(bytes.Length, () => CsvFile.Read(path).ToDataset("label", classes: true));
        });
        AssertSameInputsAsAlways("1D25DA14B868B00AD047E2CDA81C2A96277208E08CA953EEBA20668B6F6E6A69", digest);
    });

    [Fact]
    public void AFailingInputIsReplayedFromThePrintedSeed()
    {
        var gen = CsvInputs();
        var seen = new List<byte[]>();
        var error = Assert.Throws<InvalidOperationException>(() => FuzzInputs.Check(gen, 50, Seed, bytes =>
        {
            seen.Add(bytes);
            if (seen.Count == 38) throw new FormatException("the 38th input");
        }));
        Assert.StartsWith("fuzz input 37 of 50 failed; replay it with FuzzInputs.Replay(gen, \"", error.Message);
        Assert.IsType<FormatException>(error.InnerException);
        string seed = error.Message.Split('"')[1];
        Assert.Equal(seen[37], FuzzInputs.Replay(gen, seed));
    }

    /// <summary>
    /// The inputs' SHA-256 is the same in every run. It changes only with the generators here, CsCheck's version, or (for
    /// gzipped IDX) the runtime's deflate: then re-pin it, after checking that the change was meant.
    /// </summary>
    private static void AssertSameInputsAsAlways(string expected, string actual) =>
        Assert.True(expected == actual, $"the fuzz inputs changed: SHA-256 {actual}, pinned {expected}");

    private static Gen<byte[]> SafetensorsInputs()
    {
        byte[] valid = ValidSafetensors();
        return Mutations(valid, DuplicateKey(valid), HeaderLength(valid), HugeShape(valid));
    }

    private static Gen<byte[]> IdxInputs(bool gzip)
    {
        byte[] raw = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, .. Enumerable.Range(0, 24).Select(i => (byte)(i * 10))];
        return gzip ? Mutations(Gzip(raw), Mutations(raw, Dimensions(raw)).Select(Gzip)) : Mutations(raw, Dimensions(raw));
    }

    private static Gen<byte[]> CsvInputs() => Mutations(Encoding.UTF8.GetBytes("x1,x2,label\n0.5,1e3,0\n-2,3.25,1\n4,\"5\",2\n"));

    private static void MustReadOrFailCleanly(int inputLength, Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read();
        }
        catch (DataFileException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < (1 << 20) + 64L * inputLength, $"the reader allocated {allocated} bytes for an input of {inputLength}");
    }

    /// <summary>The mutations every format gets, plus the format's own.</summary>
    private static Gen<byte[]> Mutations(byte[] valid, params Gen<byte[]>[] specific)
    {
        var position = Gen.Int[0, valid.Length - 1];
        var truncate = position.Select(n => valid[..n]);
        var flip = Gen.Select(position.Array[1, 4], Gen.Byte.Array[4]).Select((at, bits) =>
        {
            var copy = (byte[])valid.Clone();
            for (int k = 0; k < at.Length; k++) copy[at[k]] ^= (byte)(bits[k] | 1);
            return copy;
        });
        var insert = Gen.Select(Gen.Int[0, valid.Length], Gen.Byte.Array[1, 16]).Select((at, bytes) => (byte[])[.. valid[..at], .. bytes, .. valid[at..]]);
        var delete = Gen.Select(position, Gen.Int[1, 16]).Select((at, n) => (byte[])[.. valid[..at], .. valid[Math.Min(valid.Length, at + n)..]]);
        var trailing = Gen.Byte.Array[1, 64].Select(bytes => (byte[])[.. valid, .. bytes]);
        var extreme = Gen.Select(Gen.Int[0, Math.Max(0, valid.Length - 4)], Gen.OneOf(0, -1, 1, int.MaxValue, int.MinValue, 0x7FFF_FFF0, 65536)).Select((at, value) =>
        {
            var copy = (byte[])valid.Clone();
            if (copy.Length >= at + 4) BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(at), value);
            return copy;
        });
        return Gen.OneOf<byte[]>([truncate, flip, insert, delete, trailing, extreme, .. specific]);
    }

    private static byte[] ValidSafetensors()
    {
        using var dir = new TempDirectory();
        var spec = ModelDescription.Mlp([4, 3, 2], Activation.ReLU, new CrossEntropyLoss());
        ModelFile.Save(dir.File("m.safetensors"), spec.Build(new Generator(1)), spec);
        return File.ReadAllBytes(dir.File("m.safetensors"));
    }

    private static (string Header, byte[] Data) Split(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    private static byte[] Join(string header, byte[] data) => SafetensorsTests.Raw(header, data);

    /// <summary>A tensor's entry repeated in the header.</summary>
    private static Gen<byte[]> DuplicateKey(byte[] valid)
    {
        var (header, data) = Split(valid);
        int start = header.IndexOf("\"0.bias\"", StringComparison.Ordinal), end = header.IndexOf('}', start) + 1;
        return Gen.Const(Join(header.Insert(end, "," + header[start..end]), data));
    }

    /// <summary>The 8-byte header length replaced: 0, off by a few, past the end, beyond the 100 MB limit, random.</summary>
    private static Gen<byte[]> HeaderLength(byte[] valid) =>
        Gen.OneOf<ulong>(Gen.OneOf(0UL, 1UL, (ulong)valid.Length - 9, (ulong)valid.Length - 7, (ulong)valid.Length, 100_000_001UL, ulong.MaxValue, 1UL << 63), Gen.ULong)
            .Select(length =>
            {
                var copy = (byte[])valid.Clone();
                BinaryPrimitives.WriteUInt64LittleEndian(copy, length);
                return copy;
            });

    /// <summary>A shape's numbers replaced with huge, negative or fractional ones.</summary>
    private static Gen<byte[]> HugeShape(byte[] valid)
    {
        var (header, data) = Split(valid);
        return Gen.OneOf("[3,4000000000]", "[4611686018427387904,4]", "[-3,4]", "[1.5]", "[99999999999999999999999]", "[3,0]", "[]", "[\"3\",4]")
            .Select(shape => Join(header.Replace("[3,4]", shape), data));
    }

    /// <summary>An IDX file's dimension fields replaced with extreme values.</summary>
    private static Gen<byte[]> Dimensions(byte[] raw) =>
        Gen.Select(Gen.Int[0, raw[3] - 1], Gen.OneOf(0, -1, int.MaxValue, 1 << 20, 65536, 25)).Select((dim, value) =>
        {
            var copy = (byte[])raw.Clone();
            BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(4 + 4 * dim), value);
            return copy;
        });

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(bytes);
        return output.ToArray();
    }
}

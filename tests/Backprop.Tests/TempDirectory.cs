using System.IO.Compression;
using System.Security.Cryptography;

namespace Backprop.Tests;

/// <summary>A scratch directory for a test's files, deleted afterwards, with writers for the formats the readers take.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("backprop-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes an IDX file of unsigned bytes with the given dimensions, gzipped when asked.</summary>
    public string WriteIdx(string name, int[] dims, byte[] values, bool gzip = false)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)dims.Length };
        foreach (int d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(values);
        return WriteBytes(name, [.. bytes], gzip);
    }

    public string WriteBytes(string name, byte[] bytes, bool gzip = false)
    {
        string path = File(name);
        if (!gzip)
        {
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }
        using var stream = System.IO.File.Create(path);
        using var compressor = new GZipStream(stream, CompressionLevel.Fastest);
        compressor.Write(bytes);
        return path;
    }

    public string WriteText(string name, string text)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A small MNIST-like directory: <paramref name="count"/> images of 2×2 pixels per set, with the label in the brightness
    /// of one pixel, so a tiny network can learn it.
    /// </summary>
    public string WriteTinyMnist(int count = 40, int classes = 2)
    {
        string dir = System.IO.Path.Combine(Path, "tiny");
        Directory.CreateDirectory(dir);
        foreach (var set in new[] { "train", "t10k" })
        {
            var g = new Generator(set == "train" ? 1UL : 2UL);
            var labels = Enumerable.Range(0, count).Select(_ => (byte)g.NextInt(classes)).ToArray();
            var pixels = labels.SelectMany(l => new[] { (byte)(l * 255 / Math.Max(1, classes - 1)), (byte)g.NextInt(256), (byte)g.NextInt(256), (byte)40 }).ToArray();
            WriteIdx($"tiny/{set}-images-idx3-ubyte", [count, 2, 2], pixels);
            WriteIdx($"tiny/{set}-labels-idx1-ubyte.gz", [count], labels, gzip: true);
        }
        return dir;
    }

    /// <summary>
    /// A small MNIST-like directory of <paramref name="size"/>×<paramref name="size"/> images, <paramref name="count"/> per set:
    /// noise with a bright square whose corner says the class, for the image layers.
    /// </summary>
    public string WriteTinyImages(int count = 24, int size = 8, int classes = 3)
    {
        string dir = System.IO.Path.Combine(Path, "images");
        Directory.CreateDirectory(dir);
        foreach (var set in new[] { "train", "t10k" })
        {
            var g = new Generator(set == "train" ? 3UL : 4UL);
            var labels = Enumerable.Range(0, count).Select(_ => (byte)g.NextInt(classes)).ToArray();
            var pixels = new byte[count * size * size];
            for (int n = 0; n < count; n++)
            {
                int corner = labels[n] * (size / 2) / Math.Max(1, classes - 1);
                for (int y = 0; y < size; y++)
                {
                    for (int x = 0; x < size; x++)
                    {
                        bool lit = y >= corner && y < corner + size / 2 && x >= corner && x < corner + size / 2;
                        pixels[(n * size + y) * size + x] = lit ? (byte)(200 + g.NextInt(56)) : (byte)g.NextInt(60);
                    }
                }
            }
            WriteIdx($"images/{set}-images-idx3-ubyte", [count, size, size], pixels);
            WriteIdx($"images/{set}-labels-idx1-ubyte", [count], labels);
        }
        return dir;
    }

    /// <summary>Every file under the directory with a hash of its bytes, sorted: equal snapshots mean nothing was written, changed or deleted.</summary>
    public string[] Snapshot() =>
        [.. Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{System.IO.Path.GetRelativePath(Path, f)} {Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(f)))}")];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

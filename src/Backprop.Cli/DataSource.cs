using Backprop.Data;

namespace Backprop.Cli;

/// <summary>
/// Where the command line's <c>--data</c> points: a directory with MNIST-style IDX files (<c>train-images*</c>,
/// <c>train-labels*</c>, <c>t10k-images*</c>, <c>t10k-labels*</c>, raw or gzipped), or a CSV file, which serves as both the
/// training and the test set. A set without examples is refused: training on it would report a NaN loss and save an
/// untrained model.
/// </summary>
internal static class DataSource
{
    /// <summary>The training and test sets; for a CSV file both are the file's examples.</summary>
    public static (Dataset Train, Dataset Test) Load(string path, string? targetColumn, bool classification)
    {
        if (Directory.Exists(path))
        {
            return (NotEmpty(Dataset.FromIdx(Find(path, "train-images"), Find(path, "train-labels"))), LoadTest(path, targetColumn, classification));
        }
        var data = LoadTest(path, targetColumn, classification);
        return (data, data);
    }

    /// <summary>The test set alone: <c>t10k-*</c> of a directory, or the whole CSV file.</summary>
    public static Dataset LoadTest(string path, string? targetColumn, bool classification) => NotEmpty(
        Directory.Exists(path)
            ? Dataset.FromIdx(Find(path, "t10k-images"), Find(path, "t10k-labels"))
            : File.Exists(path) ? CsvFile.Read(path, targetColumn, classification) : throw new DataFileException(path, "no such file or directory"));

    private static Dataset NotEmpty(Dataset data) => data.Count > 0 ? data : throw new DataFileException(data.Source ?? "data", "has no examples");

    private static string Find(string directory, string prefix)
    {
        var matches = Directory.GetFiles(directory, prefix + "*").Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Order().ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new DataFileException(directory, $"no {prefix}* file (MNIST-style IDX files are expected; scripts/get-data.sh installs them)"),
            _ => throw new DataFileException(directory, $"several {prefix}* files: {string.Join(", ", matches.Select(Path.GetFileName))}"),
        };
    }

    /// <summary>
    /// Inputs without targets, for prediction: an IDX image file (recognised by its magic bytes, raw or gzipped; pixels / 255,
    /// [N, 1, H, W] for 2-D images) or CSV rows (every column a feature, except <paramref name="excludeColumn"/> when given).
    /// </summary>
    public static Tensor LoadFeatures(string path, string? excludeColumn)
    {
        if (!File.Exists(path)) throw new DataFileException(path, "no such file");
        if (!LooksLikeIdx(path)) return CsvFile.ReadFeatures(path, excludeColumn);
        return IdxFile.ReadImages(path);
    }

    /// <summary>IDX starts with two zero bytes, gzip with 1F 8B; text CSV with neither.</summary>
    private static bool LooksLikeIdx(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        return read == 2 && ((magic[0] == 0 && magic[1] == 0) || (magic[0] == 0x1F && magic[1] == 0x8B));
    }
}

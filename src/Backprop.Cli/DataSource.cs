using Backprop.Data;
using Backprop.IO;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// Where the command line's <c>--data</c> points, read once: a directory with MNIST-style IDX files (<c>train-images*</c>,
/// <c>train-labels*</c>, <c>t10k-images*</c>, <c>t10k-labels*</c>, raw or gzipped), or a CSV file (raw or gzipped), which
/// serves as both the training and the test set. Its examples' shape is known at once (to describe the network); its
/// targets take their type once the model says what they are (<see cref="Sets"/>). A set without examples is refused:
/// training on it would report a NaN loss and save an untrained model.
/// </summary>
internal sealed class DataSource
{
    private readonly CsvTable? table;
    private readonly string? targetColumn;
    private readonly bool? header;
    private readonly Dataset? train, test;

    private DataSource(CsvTable table, string? targetColumn, bool? header) => (this.table, this.targetColumn, this.header) = (table, targetColumn, header);

    private DataSource(Dataset? train, Dataset test) => (this.train, this.test) = (train, test);

    /// <summary>
    /// Reads <paramref name="path"/>: a directory's training and test sets (only <c>t10k-*</c> when
    /// <paramref name="testOnly"/>), or a CSV file (<paramref name="header"/>: whether its first row names the columns; null
    /// detects it).
    /// </summary>
    public static DataSource Read(string path, string? targetColumn, bool? header, bool testOnly = false)
    {
        if (Directory.Exists(path))
        {
            var idxTrain = testOnly ? null : NotEmpty(Dataset.FromIdx(Find(path, "train-images"), Find(path, "train-labels")));
            return new DataSource(idxTrain, NotEmpty(Dataset.FromIdx(Find(path, "t10k-images"), Find(path, "t10k-labels"))));
        }
        if (!File.Exists(path)) throw new DataFileException(path, "no such file or directory");
        var csv = CsvFile.Read(path, header);
        if (csv.RowCount == 0) throw new DataFileException(path, "has no examples");
        return new DataSource(csv, targetColumn, header);
    }

    /// <summary>For a CSV file, what its first row was taken for (detected, or as --header said), as train's first lines say it; null for IDX files.</summary>
    public string? HeaderNote => table is null ? null : (header, table.HasHeader) switch
    {
        (null, true) => $"{table.Name}: the first row is column names (not all numbers; --header no reads it as data)",
        (null, false) => $"{table.Name}: no header row (the first row is numbers; --header yes takes it for column names)",
        (_, true) => $"{table.Name}: the first row is column names (--header yes)",
        (_, false) => $"{table.Name}: no header row (--header no)",
    };

    /// <summary>The shape of one example: an image's [1, H, W], or a CSV row's [F] (every column but the target).</summary>
    public int[] ExampleShape => table is null ? (train ?? test)!.ExampleShape.ToArray() : [table.Columns.Count - 1];

    /// <summary>
    /// The training and test sets with the targets <paramref name="task"/> takes: IDX labels are class indices already; a CSV
    /// file's target column becomes class indices for a <see cref="ClassificationTask"/>, values otherwise, and is both sets.
    /// </summary>
    public (Dataset Train, Dataset Test) Sets(TrainingTask task)
    {
        if (table is null) return (train ?? throw new InvalidOperationException("only the test set was read"), test!);
        var data = table.ToDataset(targetColumn, classes: task is ClassificationTask);
        return (data, data);
    }

    /// <summary>The test set alone: <c>t10k-*</c> of a directory, or the whole CSV file (see <see cref="Sets"/>).</summary>
    public Dataset TestSet(TrainingTask task) => table is null ? test! : Sets(task).Test;

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
    /// [N, 1, H, W] for 2-D images) or CSV rows, raw or gzipped (every column a feature, except <paramref name="excludeColumn"/>
    /// when given; <paramref name="header"/> as for <see cref="Read"/>).
    /// </summary>
    public static Tensor LoadFeatures(string path, string? excludeColumn, bool? header)
    {
        if (!File.Exists(path)) throw new DataFileException(path, "no such file");
        return IdxFile.IsIdx(path) ? IdxFile.ReadImages(path) : CsvFile.Read(path, header).Features(excludeColumn);
    }
}

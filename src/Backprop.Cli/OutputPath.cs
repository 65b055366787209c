namespace Backprop.Cli;

/// <summary>
/// Checks a file a command will write before any work starts, so that a long training run does not end at a path that
/// cannot take its result: the directory must exist and the path must not be a directory. Whether the file system then
/// lets the file be written is known only by writing it; that failure is a one-line error too.
/// </summary>
internal static class OutputPath
{
    /// <summary>Refuses <paramref name="path"/>, given as <paramref name="option"/>, when it cannot be a file there; null (the option not given) passes.</summary>
    public static void Check(string option, string? path)
    {
        if (path is null) return;
        if (path.Length == 0) throw new ArgumentException($"{option}: the file name is empty");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"{option}: '{path}' is a directory, not a file");
        string directory = Path.GetDirectoryName(full)!; // not null: only a root has none, and a root is a directory
        if (File.Exists(directory)) throw new ArgumentException($"{option}: '{directory}' is a file, not a directory");
        if (!Directory.Exists(directory)) throw new ArgumentException($"{option}: directory '{directory}' does not exist");
    }
}

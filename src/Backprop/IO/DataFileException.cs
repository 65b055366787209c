namespace Backprop.IO;

/// <summary>A data or model file that cannot be read: the message names the file and says what is wrong with it.</summary>
public sealed class DataFileException(string path, string problem) : IOException($"{path}: {problem}")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it (the message without the file's name).</summary>
    public string Problem { get; } = problem;

    /// <summary>
    /// Opens <paramref name="path"/> and reads it with <paramref name="read"/>; a file that cannot be opened or read becomes
    /// a <see cref="DataFileException"/> saying so, and the reader's own <see cref="DataFileException"/>s pass through.
    /// </summary>
    internal static T ReadFile<T>(string path, Func<FileStream, T> read)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return read(file);
        }
        catch (Exception e) when (e is IOException and not DataFileException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, $"cannot be read ({e.Message})");
        }
    }
}

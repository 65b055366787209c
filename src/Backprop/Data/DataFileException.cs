namespace Backprop.Data;

/// <summary>A data or model file that cannot be read: the message names the file and says what is wrong with it.</summary>
public sealed class DataFileException(string path, string problem) : IOException($"{path}: {problem}")
{
    /// <summary>The file.</summary>
    public string Path { get; } = path;
}

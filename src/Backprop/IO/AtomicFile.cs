namespace Backprop.IO;

/// <summary>
/// Writes a file so that readers only ever see the old version or the complete new one: the content goes to a temporary
/// file beside the target, is flushed to disk, and is renamed over the target. A failure leaves the old file untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>The search pattern of the temporary files written for <paramref name="fileName"/>, such as a killed process leaves.</summary>
    public static string TemporaryPattern(string fileName) => $".{fileName}.*.tmp";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, TemporaryPattern(Path.GetFileName(full)).Replace("*", $"{Guid.NewGuid():N}"));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}

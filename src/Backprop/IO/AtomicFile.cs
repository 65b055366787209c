namespace Backprop.IO;

/// <summary>
/// Writes a file so that readers only ever see the old version or the complete new one: the content goes to a temporary
/// file beside the target, is flushed to disk, and is renamed over the target. A failure leaves the old file untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>The search pattern of the temporary files written for <paramref name="fileName"/>, such as a killed process leaves.</summary>
    public static string TemporaryPattern(string fileName) => $".{fileName}.*.tmp";

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, atomically. A file that cannot be written (no such
    /// directory, no permission, a read-only or full file system) ends in an <see cref="IOException"/> that names
    /// <paramref name="path"/>, not the temporary file, which the caller never asked for.
    /// </summary>
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteIfPresent(temporary);
            // The system's own reason: the innermost message ("Permission denied" inside "Access to the path … is denied").
            var reason = e.InnerException ?? e;
            throw new IOException($"{full}: cannot be written ({reason.Message.Replace(temporary, full)})", e);
        }
        catch
        {
            DeleteIfPresent(temporary);
            throw;
        }
    }

    // File.Delete throws where the directory is missing, which would replace the error that says why the write failed.
    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}

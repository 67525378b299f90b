namespace Cipo.Internal;

/// <summary>Writes files so that readers see either the old or the complete new content: temporary file, flush, rename.</summary>
/// <remarks>
/// One source file shared by the packages that write files (linked from src/Shared, with <c>DiskSpace.cs</c>), each compiling
/// its own internal copy. A full, read-only or forbidden disk raises an <see cref="IOException"/> that names the path
/// (<see cref="DiskSpace.Explain"/>); the temporary file is removed, so nothing partial is left under the final name.
/// </remarks>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        (string fullPath, string temp) = Prepare(path, content.Length);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temp);
            if (DiskSpace.Explain(ex, fullPath, content.Length) is { } clear)
            {
                throw clear;
            }
            throw;
        }
    }

    /// <summary>Writes what <paramref name="write"/> puts in the stream; <paramref name="expectedBytes"/>, when known, is checked against the free space first.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken, long? expectedBytes = null)
    {
        (string fullPath, string temp) = Prepare(path, expectedBytes);
        long written = 0;
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                try
                {
                    await write(stream).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
                finally
                {
                    written = stream.Length;
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temp);
            if (DiskSpace.Explain(ex, fullPath, expectedBytes ?? (written > 0 ? written : null)) is { } clear)
            {
                throw clear;
            }
            throw;
        }
    }

    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return WriteAsync(path, stream => stream.WriteAsync(bytes, cancellationToken).AsTask(), cancellationToken, bytes.Length);
    }

    /// <summary>
    /// The target's full path and a fresh temporary path beside it; creates the folder and, when the size is known,
    /// checks that the disk has room for it.
    /// </summary>
    private static (string FullPath, string Temp) Prepare(string path, long? bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (DiskSpace.Explain(ex, directory, bytes) is { } clear)
        {
            throw clear;
        }
        if (bytes is long needed)
        {
            DiskSpace.Require(fullPath, needed);
        }
        // Same folder as the target so the final rename stays on one file system, where it is atomic.
        return (fullPath, Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp"));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

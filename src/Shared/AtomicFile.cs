// Hand-written: .NET has no atomic file write; this is the POSIX recipe (temporary, fsync, rename, fsync of the folder) with clear disk-space errors.
using System.Runtime.InteropServices;

namespace Cipo.Internal;

/// <summary>Writes files so that readers see either the old or the complete new content: temporary file, fsync, rename, fsync of the folder.</summary>
/// <remarks>
/// One source file shared by every package that writes files (linked from src/Shared, with <c>DiskSpace.cs</c>), each compiling
/// its own internal copy, so there is one way to write a file. The temporary is <c>.NAME.GUID.tmp</c> beside the target
/// (the CLI's stale-temporary cleaning knows the pattern). A full, read-only or forbidden disk raises an
/// <see cref="IOException"/> that names the path (<see cref="DiskSpace.Explain"/>); the temporary file is removed, so
/// nothing partial is left under the final name.
/// </remarks>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        byte[] bytes = content.ToArray();
        Write(path, stream => stream.Write(bytes), bytes.Length);
    }

    /// <summary>
    /// Writes what <paramref name="write"/> puts in the stream, synchronously; <paramref name="expectedBytes"/>, when known,
    /// is checked against the free space first and named in a disk-full message.
    /// </summary>
    public static void Write(string path, Action<Stream> write, long? expectedBytes = null, int bufferSize = 81920)
    {
        (string fullPath, string temp) = Prepare(path, expectedBytes);
        long written = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize))
            {
                try
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                finally
                {
                    written = stream.Length;
                }
            }
            Publish(temp, fullPath);
        }
        catch (Exception ex)
        {
            if (Failed(ex, temp, fullPath, expectedBytes, written) is { } clear)
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
            Publish(temp, fullPath);
        }
        catch (Exception ex)
        {
            if (Failed(ex, temp, fullPath, expectedBytes, written) is { } clear)
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

    /// <summary>Deletes <paramref name="path"/> if it can; a file that is in use or protected is left.</summary>
    public static void TryDelete(string path)
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

    /// <summary>Renames the flushed temporary over the target, then flushes the folder so the rename survives a power cut.</summary>
    private static void Publish(string temp, string fullPath)
    {
        File.Move(temp, fullPath, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Removes the temporary of a failed write; a clear disk-space exception to throw instead, when that is the cause.</summary>
    private static IOException? Failed(Exception ex, string temp, string fullPath, long? expectedBytes, long written)
    {
        TryDelete(temp);
        return DiskSpace.Explain(ex, fullPath, expectedBytes ?? (written > 0 ? written : null));
    }

    /// <summary>
    /// fsync of a folder (POSIX only; Windows commits renames with the file system's journal): best effort, a folder that
    /// cannot be opened or flushed is left as it is.
    /// </summary>
    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        int fd = Posix.Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        _ = Posix.FSync(fd);
        _ = Posix.Close(fd);
    }

    private static class Posix
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}

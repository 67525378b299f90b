// Written by hand: .NET reports a full or read-only disk as a bare IOException (on Unix its HResult is the errno) whose
// message names neither the space needed nor what to do; writers check the free space first and explain failures.
using System.Collections.Concurrent;
using System.Globalization;

namespace Cipo.Internal;

/// <summary>Free-space checks before large writes, and clear messages when a write fails for lack of space or permission.</summary>
/// <remarks>One source file shared by the packages that write files (linked from src/Shared), each compiling its own internal copy.</remarks>
internal static class DiskSpace
{
    private const int Enospc = 28;   // Linux errno: no space left on device
    private const int Edquot = 122;  // Linux errno: disk quota exceeded
    private const int Erofs = 30;    // Linux errno: read-only file system
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsWriteProtect = unchecked((int)0x80070013);

    /// <summary>Tests only: free bytes to report for paths under a folder, as if its disk were that full.</summary>
    internal static readonly ConcurrentDictionary<string, long> SimulatedFreeBytes = new(StringComparer.Ordinal);

    /// <summary>Free bytes on the file system that holds <paramref name="path"/> (or its nearest existing parent); null when unknown.</summary>
    public static long? FreeBytes(string path)
    {
        string full = Path.GetFullPath(path);
        foreach ((string folder, long bytes) in SimulatedFreeBytes)
        {
            if (full.StartsWith(folder, StringComparison.Ordinal))
            {
                return bytes;
            }
        }
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null)
        {
            return null;
        }
        try
        {
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Throws when the disk of <paramref name="path"/> has less than <paramref name="bytesNeeded"/> bytes free.</summary>
    /// <exception cref="IOException">Not enough free space; the message names the path, the bytes needed and the bytes free.</exception>
    public static void Require(string path, long bytesNeeded)
    {
        if (FreeBytes(path) is long free && free < bytesNeeded)
        {
            throw new IOException(NoSpace(path, bytesNeeded, free));
        }
    }

    /// <summary>
    /// A clearer exception for a write to <paramref name="path"/> that failed with <paramref name="error"/> because the
    /// disk is full, read-only or not writable, or <see langword="null"/> when the failure is of another kind.
    /// </summary>
    public static IOException? Explain(Exception error, string path, long? bytesNeeded)
    {
        return error switch
        {
            IOException io when io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull =>
                new IOException(NoSpace(path, bytesNeeded, FreeBytes(path)), error),
            IOException io when io.HResult is Erofs or WindowsWriteProtect =>
                new IOException($"Cannot write '{path}': the file system is read-only. Choose a folder on a writable disk.", error),
            UnauthorizedAccessException =>
                new IOException($"Cannot write '{path}': permission denied. Choose a folder you can write to.", error),
            _ => null,
        };
    }

    /// <summary>Bytes as "1.5 GB (1,500,000,000 bytes)".</summary>
    public static string Format(long bytes)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string exact = bytes.ToString("N0", c) + " bytes";
        return bytes switch
        {
            >= 1_000_000_000 => $"{(bytes / 1e9).ToString("0.#", c)} GB ({exact})",
            >= 1_000_000 => $"{(bytes / 1e6).ToString("0.#", c)} MB ({exact})",
            _ => exact,
        };
    }

    private static string NoSpace(string path, long? bytesNeeded, long? free) =>
        $"Not enough disk space to write '{path}': "
        + (bytesNeeded is long needed ? $"{Format(needed)} needed" : "the write needs more space")
        + (free is long f ? $", {Format(f)} free" : "")
        + ". Free some space or choose a folder on another disk.";
}

// Written by hand: .NET reports no file type on Unix (a FIFO, a device and a socket all read as "Normal"), and opening a
// FIFO blocks until a writer appears, so the type is read with statx(2) before anything is opened.
using System.Runtime.InteropServices;

namespace Cipo.Internal;

/// <summary>
/// Input files are read only when they are regular files: a FIFO would block the reader forever, a device such as
/// <c>/dev/zero</c> never ends, a socket cannot be read as a file. Symbolic links are followed (a link to a regular file
/// is fine; a link to a FIFO is not).
/// </summary>
/// <remarks>
/// One source file shared by the packages that read input files (linked from src/Shared), each compiling its own
/// internal copy. The type is read with <c>statx</c> on Linux; on other systems, or where <c>statx</c> is unavailable,
/// only directories are told apart and every other existing path is treated as a file.
/// </remarks>
internal static class RegularFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxBufferBytes = 256;
    private const int StatxModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, then stx_mode (kernel ABI, same on every architecture)

    /// <summary>Throws unless <paramref name="path"/> is a regular file (or a link to one).</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at the path.</exception>
    /// <exception cref="IOException">The path is a FIFO, a device, a socket or a folder; the message names the path and what it is.</exception>
    public static void Require(string path)
    {
        if (Problem(path) is { } problem)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path);
            }
            throw new IOException(problem);
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be read as an input file, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            return $"'{path}' is a folder, not a file";
        }
        if (!File.Exists(path))
        {
            return $"'{path}' does not exist";
        }
        string? kind = OperatingSystem.IsLinux() ? LinuxKind(path) : null;
        return kind is null ? null : $"'{path}' is {kind}, not a regular file; only regular files are read as input";
    }

    /// <summary>Null for a regular file (or when the type cannot be read), else what the path is.</summary>
    private static string? LinuxKind(string path)
    {
        var buffer = new byte[StatxBufferBytes];
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, 0, StatxType, buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (rc != 0)
        {
            return null; // ENOSYS under old kernels or seccomp filters: fall back to what File.Exists said.
        }
        int type = BitConverter.ToUInt16(buffer, StatxModeOffset) & 0xF000;
        return type switch
        {
            0x8000 => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            0x4000 => "a folder",
            _ => "a special file",
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}

// Written by hand: the hostile-input tests of several projects share these helpers (a time limit that also catches a
// synchronous hang, FIFOs, the hostile fixture folder, a simulated full disk); one source file, linked into each project.
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Cipo.Testing;

/// <summary>Helpers for the tests that feed hostile input (FIFOs, huge lines, corrupt files) to the readers.</summary>
internal static class HostileInput
{
    /// <summary>The time any single hostile case may take: a hang fails the test instead of blocking the run.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="action"/> on the thread pool and fails with <see cref="TimeoutException"/> when it takes longer
    /// than <paramref name="limit"/> (default <see cref="Limit"/>). Running it on another thread matters: a reader blocked in
    /// <c>open(2)</c> on a FIFO never returns a task, so an in-line <c>await</c> could not time out.
    /// </summary>
    public static async Task<T> Bounded<T>(Func<Task<T>> action, TimeSpan? limit = null) =>
        await Task.Run(action).WaitAsync(limit ?? Limit).ConfigureAwait(false);

    /// <inheritdoc cref="Bounded{T}(Func{Task{T}}, TimeSpan?)"/>
    public static async Task Bounded(Func<Task> action, TimeSpan? limit = null) =>
        await Task.Run(action).WaitAsync(limit ?? Limit).ConfigureAwait(false);

    /// <summary>Runs a synchronous <paramref name="action"/> under the time limit; returns the exception it threw, or null.</summary>
    public static async Task<Exception?> CaptureBounded(Action action, TimeSpan? limit = null)
    {
        try
        {
            await Bounded(() => Task.Run(action), limit).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    public static string MakeFifo(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("FIFOs need a Unix system.");
        }
        if (MkFifo(path, Convert.ToUInt32("644", 8)) != 0)
        {
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        return path;
    }

    private static readonly string[] s_packages = ["Cipo", "Cipo.Text", "Cipo.TorchSharp", "Cipo.Evaluation", "Cipo.Embedded", "Cipo.Cli"];

    /// <summary>
    /// Writes <paramref name="before"/>, <paramref name="megabytes"/> MiB of the letter <c>w</c> and <paramref name="after"/>:
    /// with <paramref name="before"/> ending inside a JSON string, one line far longer than any reader's limit.
    /// </summary>
    public static async Task WriteHugeLine(string path, string before, int megabytes, string after)
    {
        await using var stream = File.Create(path);
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(before));
        byte[] chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)'w');
        for (int i = 0; i < megabytes; i++)
        {
            await stream.WriteAsync(chunk);
        }
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(after));
    }

    /// <summary>The repository's hostile corpus, <c>tests/fixtures/hostile</c>.</summary>
    public static string Fixture(string name) => Path.Combine(RepositoryRoot(), "tests", "fixtures", "hostile", name);

    /// <summary>
    /// Makes every loaded copy of the internal <c>DiskSpace</c> (each package compiles its own) report
    /// <paramref name="freeBytes"/> for paths under <paramref name="folder"/>, until the returned handle is disposed.
    /// </summary>
    public static IDisposable SimulateFullDisk(string folder, long freeBytes)
    {
        string full = Path.GetFullPath(folder);
        var maps = new List<ConcurrentDictionary<string, long>>();
        foreach (string name in s_packages)
        {
            try
            {
                Assembly.Load(name); // a package not loaded yet would miss the simulation
            }
            catch (FileNotFoundException)
            {
                // Not referenced by this test project.
            }
        }
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("Cipo", StringComparison.Ordinal) == true))
        {
            if (assembly.GetType("Cipo.Internal.DiskSpace")?.GetField("SimulatedFreeBytes", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                ?.GetValue(null) is ConcurrentDictionary<string, long> map)
            {
                map[full] = freeBytes;
                maps.Add(map);
            }
        }
        if (maps.Count == 0)
        {
            throw new InvalidOperationException("No Cipo assembly with an internal DiskSpace is loaded.");
        }
        return new Restore(() => maps.ForEach(m => m.TryRemove(full, out _)));
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Cipo.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}

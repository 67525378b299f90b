// Written by hand: no library decides which folder a tool may write into; the rules are the tool's promise (docs/cli.md,
// "Output folders") and the lock is the operating system's own file lock, reached through FileStream.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cipo.Internal;

namespace Cipo.Cli;

/// <summary>
/// A folder a command writes (<c>--out</c>, or a bench folder that <c>cipo report --render</c> redraws). cipo writes only
/// into a folder that is missing or empty, or that holds its marker <see cref="MarkerFileName"/> naming the same command;
/// never into, inside or above one of its inputs; and only while it holds the folder's lock <see cref="LockFileName"/>.
/// Anything else is a <see cref="CliInputException"/> (exit 2) naming the folder and the reason, before anything is written.
/// </summary>
/// <remarks>
/// The lock is the one .NET takes for <see cref="FileShare.None"/>: <c>flock(LOCK_EX)</c> on Unix, a share mode on
/// Windows, held per open file, so two runs in one process exclude each other too. The kernel drops it when the process
/// ends, however it ends, so the lock file a killed run leaves behind blocks nothing. The lock file is never deleted:
/// deleting it would let a run that opened the old file and a run that created a new one both hold "the" lock.
/// </remarks>
internal sealed partial class OutputFolder : IDisposable
{
    /// <summary>The marker: which command created the folder (<c>tool</c>, <c>command</c>, <c>version</c>, <c>created_utc</c>).</summary>
    public const string MarkerFileName = ".cipo-output.json";

    /// <summary>The lock file; held (not merely present) while a run writes the folder.</summary>
    public const string LockFileName = ".cipo-lock";

    private readonly string _option;
    private FileStream? _lock;

    private OutputFolder(string fullPath, string option, string command, FolderState state)
    {
        FullPath = fullPath;
        _option = option;
        Command = command;
        State = state;
    }

    /// <summary>What the folder was when inspected (or claimed).</summary>
    public enum FolderState
    {
        /// <summary>The folder does not exist.</summary>
        Missing,

        /// <summary>The folder exists and holds nothing (a lock file aside).</summary>
        Empty,

        /// <summary>The folder holds this command's marker: an earlier run of the command created it.</summary>
        Ours,
    }

    /// <summary>An input of the command: an option and the file or folder it names.</summary>
    public readonly record struct Input(string Option, string Path);

    /// <summary>The folder's full path (as given, made absolute; links not resolved).</summary>
    public string FullPath { get; }

    /// <summary>The command that writes the folder, as its marker names it.</summary>
    public string Command { get; }

    /// <summary>What the folder was when inspected; <see cref="FolderState.Ours"/> once claimed.</summary>
    public FolderState State { get; private set; }

    /// <summary>The lock file's path.</summary>
    public string LockPath => Path.Combine(FullPath, LockFileName);

    /// <summary>
    /// Checks, writing nothing, that <paramref name="path"/> may be written by <paramref name="command"/>: not an input,
    /// inside an input or holding one (symbolic links resolved), and missing, empty or marked by the same command.
    /// </summary>
    /// <param name="path">The folder as given.</param>
    /// <param name="option">The option that named it, for messages (<c>--out</c>).</param>
    /// <param name="command">The command (<c>unlearn</c>, <c>audit</c>, <c>demo</c>, <c>bench</c>).</param>
    /// <param name="inputs">The files and folders the command reads.</param>
    /// <exception cref="CliInputException">The folder must not be written; the message names it and says why.</exception>
    public static OutputFolder Inspect(string path, string option, string command, IEnumerable<Input> inputs)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new CliInputException($"{option} '{path}' is a file; give a folder");
        }
        string real = RealPath(full);
        foreach (Input input in WithLinkedFiles(inputs))
        {
            string inputPath = RealPath(Path.GetFullPath(input.Path));
            // A link is named with what it resolves to: that is the path the output overlaps.
            string named = string.Equals(inputPath, Path.GetFullPath(input.Path), PathComparison) ? $"'{input.Path}'" : $"'{input.Path}' (-> '{inputPath}')";
            if (SameOrInside(real, inputPath))
            {
                throw new CliInputException(string.Equals(real, inputPath, PathComparison)
                    ? $"{option} '{full}' is the {input.Option} folder {named}; cipo never writes into its inputs: give another folder"
                    : $"{option} '{full}' is inside the {input.Option} folder {named}; cipo never writes into its inputs: give a folder outside it");
            }
            if (SameOrInside(inputPath, real))
            {
                throw new CliInputException(
                    $"{option} '{full}' holds the {input.Option} input {named}; cipo never writes beside or above its inputs: give a folder that does not contain them");
            }
        }
        return new OutputFolder(full, option, command, Classify(full, option, command));
    }

    /// <summary>
    /// The inputs and, for an input folder, the files in it that are symbolic links (a Hugging Face cache snapshot links
    /// its files to blobs elsewhere): writing where a link points writes the input as surely as writing the folder.
    /// </summary>
    private static IEnumerable<Input> WithLinkedFiles(IEnumerable<Input> inputs)
    {
        foreach (Input input in inputs)
        {
            yield return input;
            if (!Directory.Exists(input.Path))
            {
                continue;
            }
            var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
            foreach (FileInfo file in new DirectoryInfo(input.Path).EnumerateFiles("*", options))
            {
                if (file.LinkTarget is not null)
                {
                    yield return input with { Path = file.FullName };
                }
            }
        }
    }

    /// <summary>
    /// For commands with nothing to validate first (<c>cipo demo</c>, <c>cipo bench</c>): <see cref="Inspect"/>,
    /// <see cref="Claim"/> and <see cref="RemoveStaleTemporaries"/>; null, after writing why to <paramref name="stderr"/>,
    /// when the folder is not the command's to write.
    /// </summary>
    public static async Task<OutputFolder?> ClaimOrReportAsync(string path, string command, TextWriter stderr, params IEnumerable<Input> inputs)
    {
        OutputFolder? folder = null;
        try
        {
            folder = Inspect(path, "--out", command, inputs);
            folder.Claim();
            folder.RemoveStaleTemporaries();
            return folder;
        }
        catch (CliInputException ex)
        {
            folder?.Dispose();
            await stderr.WriteLineAsync($"cipo {command}: error: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Takes the lock now where that writes nothing new (the lock file exists) or writes only into the command's own
    /// folder, so that a second run on a folder in use stops at once instead of after loading its model.
    /// </summary>
    /// <exception cref="CliInputException">Another cipo run holds the lock.</exception>
    public void LockEarly()
    {
        if (_lock is null && (State == FolderState.Ours || File.Exists(LockPath)))
        {
            Lock();
        }
    }

    /// <summary>
    /// Makes the folder this run's: creates it when missing, takes the lock, checks it again under the lock (a
    /// program may have written it since <see cref="Inspect"/>), and writes the marker when the folder is new.
    /// </summary>
    /// <exception cref="CliInputException">Another cipo run holds the lock, or the folder is no longer this command's to write.</exception>
    public void Claim()
    {
        Directory.CreateDirectory(FullPath);
        Lock();
        State = Classify(FullPath, _option, Command);
        if (State != FolderState.Ours)
        {
            WriteMarker(FullPath, Command);
            State = FolderState.Ours;
        }
    }

    /// <summary>
    /// Deletes the temporary files and folders the tool's own writers leave when a run is killed mid-write (see
    /// <see cref="IsStaleTemporary"/>), anywhere in the folder except in nested folders of another cipo command and
    /// behind symbolic links. Only with the lock held, so no live writer's temporary is touched.
    /// </summary>
    /// <returns>The paths removed.</returns>
    public IReadOnlyList<string> RemoveStaleTemporaries()
    {
        RequireClaimed();
        var removed = new List<string>();
        RemoveStaleTemporariesIn(new DirectoryInfo(FullPath), removed);
        return removed;
    }

    /// <summary>Deletes the named entries of the folder (<c>--restart</c>: the outputs of an earlier run of the command).</summary>
    public void Discard(params string[] names)
    {
        RequireClaimed();
        foreach (string name in names)
        {
            string path = Path.Combine(FullPath, name);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Releases the lock (the lock file stays; see the remarks of the class).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>Writes the marker of <paramref name="command"/> into <paramref name="folder"/>, atomically.</summary>
    internal static void WriteMarker(string folder, string command)
    {
        var marker = new JsonObject
        {
            ["tool"] = "cipo",
            ["command"] = command,
            ["version"] = CipoCli.Version,
            ["created_utc"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["note"] = $"Created by 'cipo {command}'. cipo writes only into folders that are empty or hold this file for the same command.",
        };
        AtomicFile.WriteAllBytes(Path.Combine(folder, MarkerFileName),
            Encoding.UTF8.GetBytes(marker.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a temporary of one of the tool's writers: <c>.NAME.GUID.tmp</c>
    /// (<c>AtomicFile</c>, which every writer uses), <c>NAME.tmp-GUID</c> (what earlier versions' <c>SafeTensorsFile.Save</c>
    /// left; still cleaned) and
    /// <c>NAME.tmp-HEX8</c> / <c>NAME.old-HEX8</c> (the staging and replaced folders of <c>HfCheckpoint.Save</c>).
    /// </summary>
    internal static bool IsStaleTemporary(string name) => TemporaryName().IsMatch(name);

    [GeneratedRegex(@"^(\..+\.[0-9a-f]{32}\.tmp|.+\.tmp-[0-9a-f]{32}|.+\.(tmp|old)-[0-9a-f]{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();

    private void Lock()
    {
        if (_lock is not null)
        {
            return;
        }
        try
        {
            _lock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new CliInputException(
                $"{_option} '{FullPath}' is in use: another cipo run holds its lock ({LockPath}); wait for that run to end, or give another folder", ex);
        }
    }

    private void RequireClaimed()
    {
        if (_lock is null || State != FolderState.Ours)
        {
            throw new InvalidOperationException($"{FullPath}: claim the folder (and its lock) first.");
        }
    }

    private static void RemoveStaleTemporariesIn(DirectoryInfo folder, List<string> removed)
    {
        // Hidden entries (.NAME.GUID.tmp, .cipo-run) are what this is for: skip nothing by attribute but links.
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        foreach (FileSystemInfo entry in folder.EnumerateFileSystemInfos("*", options))
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }
            if (IsStaleTemporary(entry.Name))
            {
                if (entry is DirectoryInfo staging)
                {
                    staging.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
                removed.Add(entry.FullName);
            }
            else if (entry is DirectoryInfo sub && !File.Exists(Path.Combine(sub.FullName, MarkerFileName)))
            {
                // A nested folder with a marker is another run's folder, with its own lock: not this run's to clean.
                RemoveStaleTemporariesIn(sub, removed);
            }
        }
    }

    private static FolderState Classify(string full, string option, string command)
    {
        if (!Directory.Exists(full))
        {
            return FolderState.Missing;
        }
        string[] entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Where(n => n != LockFileName).ToArray()!;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{option} '{full}': cannot list the folder ({ex.Message})", ex);
        }
        if (entries.Length == 0)
        {
            return FolderState.Empty;
        }
        string marker = Path.Combine(full, MarkerFileName);
        if (!File.Exists(marker))
        {
            throw new CliInputException(
                $"{option} '{full}' is not empty and was not created by cipo (it has no {MarkerFileName}); cipo writes only into a missing or "
                + "empty folder or one it created, so that it never overwrites or deletes files it did not write: give a new or empty folder");
        }
        (string? tool, string? owner) = ReadMarker(marker);
        if (tool != "cipo" || owner is null)
        {
            throw new CliInputException($"{option} '{full}': {marker} is not a cipo marker (no \"tool\": \"cipo\" and \"command\"); give a new or empty folder");
        }
        if (owner != command)
        {
            throw new CliInputException($"{option} '{full}' was created by 'cipo {owner}', not 'cipo {command}'; give a new or empty folder");
        }
        return FolderState.Ours;
    }

    private static (string? Tool, string? Command) ReadMarker(string path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(File.ReadAllText(path));
            return node is JsonObject o && o["tool"] is JsonValue tool && o["command"] is JsonValue command
                && tool.TryGetValue(out string? t) && command.TryGetValue(out string? c) ? (t, c) : (null, null);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static bool SameOrInside(string path, string folder) =>
        string.Equals(path, folder, PathComparison)
        || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>
    /// <paramref name="full"/> with every symbolic link among its existing components resolved, so that a link to a folder
    /// and the folder compare equal. .NET has no realpath; this walks the components.
    /// </summary>
    internal static string RealPath(string full)
    {
        string root = Path.GetPathRoot(full) ?? "";
        var pending = new Queue<string>(Split(full[root.Length..]));
        string current = root;
        int links = 0;
        while (pending.TryDequeue(out string? part))
        {
            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > 40)
            {
                throw new CliInputException($"'{full}': too many levels of symbolic links");
            }
            // The target replaces the link; its own components are resolved in turn. A relative target is relative to the link's folder.
            string resolved = Path.GetFullPath(target, current);
            root = Path.GetPathRoot(resolved) ?? "";
            pending = new Queue<string>(Split(resolved[root.Length..]).Concat(pending));
            current = root;
        }
        return current;

        static string[] Split(string relative) =>
            relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
    }
}

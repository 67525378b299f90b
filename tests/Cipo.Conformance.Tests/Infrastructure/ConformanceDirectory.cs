using System.IO.Compression;

namespace Cipo.Conformance.Tests.Infrastructure;

/// <summary>
/// The conformance folder the tests run over: <c>CIPO_CONFORMANCE_DIR</c> when set, else the repository's fixtures.
/// Files stored as <c>name.gz</c> are decompressed once per process into a cache folder that mirrors the layout,
/// so every test sees plain files at their documented paths.
/// </summary>
public static class ConformanceDirectory
{
    /// <summary>The environment variable that points the tests at another folder of the same layout.</summary>
    public const string EnvironmentVariable = "CIPO_CONFORMANCE_DIR";

    private static readonly Lazy<string> s_root = new(Materialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder with plain (decompressed) files.</summary>
    public static string Root => s_root.Value;

    /// <summary>Where the cases come from, as configured (before decompression).</summary>
    public static string Source
    {
        get
        {
            string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                string full = Path.GetFullPath(fromEnv);
                if (!Directory.Exists(full))
                {
                    throw new DirectoryNotFoundException($"{EnvironmentVariable} points at '{full}', which does not exist.");
                }
                return full;
            }
            return Path.Combine(RepositoryRoot(), "tests", "fixtures", "conformance");
        }
    }

    /// <summary>Path of a file or folder inside the conformance folder.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Checkpoint folders: every direct subfolder holding a <c>config.json</c> and <c>reference-logits.json</c>.</summary>
    public static IReadOnlyList<string> CheckpointNames() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, "config.json")) && File.Exists(Path.Combine(d, "reference-logits.json")))
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    private static string Materialize()
    {
        string source = Source;
        bool hasGz = Directory.EnumerateFiles(source, "*.gz", SearchOption.AllDirectories).Any();
        if (!hasGz)
        {
            return source;
        }
        // Keyed by the source path so the fixtures and a CIPO_CONFORMANCE_DIR never share a cache.
        string key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..16];
        string target = Path.Combine(Path.GetTempPath(), "cipo-conformance", key);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(source, file);
            bool gz = rel.EndsWith(".gz", StringComparison.Ordinal);
            string dest = Path.Combine(target, gz ? rel[..^3] : rel);
            var info = new FileInfo(dest);
            if (info.Exists && info.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(file))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            string tmp = dest + "." + Environment.ProcessId + ".tmp";
            using (var input = File.OpenRead(file))
            using (var output = File.Create(tmp))
            {
                if (gz)
                {
                    using var inflate = new GZipStream(input, CompressionMode.Decompress);
                    inflate.CopyTo(output);
                }
                else
                {
                    input.CopyTo(output);
                }
            }
            File.Move(tmp, dest, overwrite: true);
        }
        return target;
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "Cipo.Sdk.sln")))
            {
                return dir;
            }
            dir = Path.GetDirectoryName(dir);
        }
        throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }
}

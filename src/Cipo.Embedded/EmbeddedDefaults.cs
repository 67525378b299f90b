namespace Cipo.Embedded;

/// <summary>Where the embedded default keeps its cached models when no folder is given.</summary>
public static class EmbeddedDefaults
{
    /// <summary>
    /// The cache root: <c>$CIPO_CACHE</c> when set, else <c>~/.cache/cipo</c> (<c>%LOCALAPPDATA%/cipo</c> on Windows).
    /// </summary>
    public static string CacheRoot
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("CIPO_CACHE");
            if (!string.IsNullOrWhiteSpace(env))
            {
                return Path.GetFullPath(env);
            }
            string baseDir = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "cipo");
        }
    }
}

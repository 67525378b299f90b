namespace Cipo.Leakage;

/// <summary>
/// The verbatim rule of <see cref="NormalizedLeakageDetector"/> for one passage: every run of <c>window</c> consecutive
/// words of the passage, after <see cref="TextNormalizer"/> normalisation, kept in a set so a text is checked in one pass
/// over its own words (a text of w words costs w − window + 1 look-ups, whatever the passage length).
/// </summary>
internal sealed class VerbatimWindows
{
    private readonly HashSet<string> _windows;

    private VerbatimWindows(int window, HashSet<string> windows)
    {
        Window = window;
        _windows = windows;
    }

    /// <summary>The number of consecutive words that counts as reproducing the passage.</summary>
    public int Window { get; }

    /// <summary>
    /// The windows of <paramref name="passage"/>; <see langword="null"/> when it has no word. A passage shorter than
    /// <paramref name="window"/> words is one window of all its words, so it still leaks when reproduced whole.
    /// </summary>
    public static VerbatimWindows? For(string? passage, int window)
    {
        string[] words = Words(passage);
        if (words.Length == 0)
        {
            return null;
        }
        int n = Math.Min(window, words.Length);
        var windows = new HashSet<string>(StringComparer.Ordinal);
        for (int start = 0; start + n <= words.Length; start++)
        {
            windows.Add(string.Join(' ', words, start, n));
        }
        return new VerbatimWindows(n, windows);
    }

    /// <summary>The normalised words of <paramref name="text"/> (empty when it has none).</summary>
    public static string[] Words(string? text)
    {
        string normalized = TextNormalizer.Normalize(text);
        return normalized.Length == 0 ? [] : normalized.Split(' ');
    }

    /// <summary>The first run of <see cref="Window"/> words of <paramref name="text"/> that the passage holds, normalised; or <see langword="null"/>.</summary>
    public string? FindIn(string? text)
    {
        string[] words = Words(text);
        for (int start = 0; start + Window <= words.Length; start++)
        {
            string run = string.Join(' ', words, start, Window);
            if (_windows.Contains(run))
            {
                return run;
            }
        }
        return null;
    }
}

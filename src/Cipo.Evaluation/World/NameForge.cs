namespace Cipo.Evaluation.World;

/// <summary>
/// Builds unique invented words from syllables. No word is a substring of another (case-insensitive) nor of a reserved
/// word, so a leakage check for one name never matches another.
/// </summary>
internal sealed class NameForge(Random rng, IEnumerable<string> reserved)
{
    private static readonly string[] s_onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "tr", "st", "th", "sh", "fl", "gl"];
    private static readonly string[] s_vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
    private static readonly string[] s_codas = ["", "", "n", "r", "l", "s", "m", "th", "x"];

    /// <summary>
    /// Whether <see cref="Next"/> could ever invent <paramref name="word"/> (case-insensitive) with this many syllables and
    /// one of <paramref name="suffixes"/> (the codas when empty): a word it cannot invent never equals a name of any world.
    /// </summary>
    public static bool CouldInvent(string word, int syllables, IReadOnlyCollection<string> suffixes)
    {
        string Alternatives(IEnumerable<string> parts) => string.Join('|', parts.OrderByDescending(p => p.Length).Select(System.Text.RegularExpressions.Regex.Escape));
        string endings = Alternatives(suffixes.Count > 0 ? suffixes : s_codas.Distinct());
        string pattern = $"^(?:(?:{Alternatives(s_onsets)})(?:{Alternatives(s_vowels)})){{{syllables}}}(?:{endings})$";
        return System.Text.RegularExpressions.Regex.IsMatch(word.ToLowerInvariant(), pattern);
    }

    private readonly List<string> _used = [];
    private readonly string[] _reserved = reserved.Select(r => r.ToLowerInvariant()).ToArray();

    public string Next(int syllables, string suffix = "")
    {
        for (int attempt = 0; attempt < 100_000; attempt++)
        {
            var sb = new System.Text.StringBuilder();
            for (int s = 0; s < syllables; s++)
            {
                sb.Append(s_onsets[rng.Next(s_onsets.Length)]).Append(s_vowels[rng.Next(s_vowels.Length)]);
            }
            sb.Append(suffix.Length > 0 ? suffix : s_codas[rng.Next(s_codas.Length)]);
            string lower = sb.ToString();
            if (_reserved.Any(r => lower.Contains(r, StringComparison.Ordinal) && r.Length > 3 || r == lower)) continue;
            if (_used.Any(u => u.Contains(lower, StringComparison.Ordinal) || lower.Contains(u, StringComparison.Ordinal))) continue;
            _used.Add(lower);
            return char.ToUpperInvariant(lower[0]) + lower[1..];
        }
        throw new InvalidOperationException("Could not invent enough unique names; reduce the world size.");
    }
}

using System.Globalization;

namespace Cipo.Text.Internal;

/// <summary>
/// Lets a .NET regex see supplementary-plane characters (emoji, CJK extension B, math letters) as single characters.
/// </summary>
/// <remarks>
/// .NET regexes run over UTF-16 code units, so <c>\p{L}</c> or <c>\p{S}</c> never match a surrogate pair, while the Rust
/// and Oniguruma regexes of Hugging Face tokenizers work on code points: "🤖" is one <c>\p{S}</c> character there.
/// Before matching, each surrogate pair is replaced by one BMP stand-in of the same Unicode general category that the
/// pattern never names literally; classes, quantifiers and lookarounds then behave as on code points, and match offsets
/// are mapped back to the original text. Text without surrogates is matched as is.
/// </remarks>
internal sealed class SupplementaryCharacterProxy
{
    private readonly char[] _standIns = new char[32];

    public SupplementaryCharacterProxy(IReadOnlySet<char> patternLiterals)
    {
        var found = new bool[_standIns.Length];
        // Characters equal to an ASCII letter under some case folding: a stand-in must never match a literal of the pattern.
        ReadOnlySpan<char> caseFoldTraps = ['\u0130', '\u0131', '\u017F', '\u212A', '\u212B'];

        // Scan from U+A000 upward first so stand-ins come from blocks tokenizer patterns rarely name, then the rest of the BMP.
        foreach ((int from, int to) in new[] { (0xA000, 0xFFFD), (0x0100, 0x9FFF) })
        {
            for (int cp = from; cp <= to; cp++)
            {
                char c = (char)cp;
                if (char.IsSurrogate(c) || caseFoldTraps.Contains(c))
                {
                    continue;
                }
                int category = (int)CharUnicodeInfo.GetUnicodeCategory(c);
                if (found[category] || IsNamed(c, patternLiterals))
                {
                    continue;
                }
                _standIns[category] = c;
                found[category] = true;
            }
        }
        for (int k = 0; k < found.Length; k++)
        {
            if (!found[k])
            {
                _standIns[k] = '\uFFFD';
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> needs the proxy (it holds at least one surrogate).</summary>
    public static bool IsNeeded(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Builds the proxy text (one char per code point) and <paramref name="starts"/>: the original index of each proxy
    /// char, plus the original length at the end.
    /// </summary>
    public char[] Build(ReadOnlySpan<char> text, out int[] starts, out int proxyLength)
    {
        var proxy = new char[text.Length];
        starts = new int[text.Length + 1];
        int k = 0;
        for (int i = 0; i < text.Length; i++)
        {
            starts[k] = i;
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, text[i + 1]);
                proxy[k++] = _standIns[(int)CharUnicodeInfo.GetUnicodeCategory(codePoint)];
                i++;
            }
            else
            {
                // A lone surrogate becomes U+FFFD in UTF-8 anyway; match it as that character.
                proxy[k++] = char.IsSurrogate(c) ? '\uFFFD' : c;
            }
        }
        starts[k] = text.Length;
        proxyLength = k;
        return proxy;
    }

    private static bool IsNamed(char c, IReadOnlySet<char> literals) =>
        literals.Contains(c) || literals.Contains(char.ToUpperInvariant(c)) || literals.Contains(char.ToLowerInvariant(c));
}

using System.Globalization;
using System.Text;

namespace Cipo.Text.Internal;

/// <summary>
/// Cuts text into the pieces of <see cref="WordTokenizer"/>: special tokens, words (runs of letters and marks), single
/// digits, single other characters, and whitespace. A single space right before a word, digit or symbol is carried by
/// that piece (" cat", " 7"); any other whitespace character is a piece of its own, so concatenating the pieces gives
/// the text back.
/// </summary>
internal sealed class WordSplitter
{
    private readonly string[] _specials;

    public WordSplitter(IEnumerable<string> specialTokens)
    {
        // Longest first, so that a special token that starts another one never hides it.
        _specials = specialTokens.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Splits <paramref name="text"/>, which must not hold unpaired surrogates.</summary>
    public void Split(string text, List<(string Piece, bool IsSpecial)> output)
    {
        int i = 0;
        bool pendingSpace = false;
        while (i < text.Length)
        {
            if (SpecialAt(text, i) is string special)
            {
                output.Add((special, true));
                i += special.Length;
                continue;
            }
            char c = text[i];
            if (c == ' ')
            {
                bool carried = i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && SpecialAt(text, i + 1) is null;
                if (carried)
                {
                    pendingSpace = true;
                }
                else
                {
                    output.Add((" ", false));
                }
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                output.Add((c.ToString(), false));
                i++;
                continue;
            }

            int start = i;
            Rune rune = Rune.GetRuneAt(text, i);
            i += rune.Utf16SequenceLength;
            if (IsWordRune(rune))
            {
                while (i < text.Length && Rune.TryGetRuneAt(text, i, out Rune next) && IsWordRune(next) && SpecialAt(text, i) is null)
                {
                    i += next.Utf16SequenceLength;
                }
            }
            // Digits and any other character stay single so numbers are spelled digit by digit.
            string piece = text[start..i];
            output.Add((pendingSpace ? " " + piece : piece, false));
            pendingSpace = false;
        }
    }

    private string? SpecialAt(string text, int index)
    {
        foreach (string special in _specials)
        {
            if (index + special.Length <= text.Length && string.CompareOrdinal(text, index, special, 0, special.Length) == 0)
            {
                return special;
            }
        }
        return null;
    }

    private static bool IsWordRune(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}

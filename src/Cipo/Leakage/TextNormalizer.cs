using System.Globalization;
using System.Text;

namespace Cipo.Leakage;

/// <summary>
/// Normalises text before leakage matching, so that surface variants of a forbidden string are still found.
/// </summary>
/// <remarks>
/// <para>The steps, in order:</para>
/// <list type="number">
/// <item>Lowercase (invariant culture).</item>
/// <item>Accents removed: the text is decomposed (NFD) and combining marks are dropped (<c>Zürich</c> → <c>zurich</c>);
/// a few letters without a decomposition are spelled out (<c>ß</c> → <c>ss</c>, <c>æ</c> → <c>ae</c>, <c>œ</c> → <c>oe</c>,
/// <c>ø</c> → <c>o</c>, <c>ł</c> → <c>l</c>, <c>đ</c> → <c>d</c>).</item>
/// <item>Digit grouping removed: a comma, apostrophe, underscore or (non-breaking, thin) space between a group of one to
/// three digits and exactly three digits is dropped, so <c>1,000</c>, <c>1 000</c>, <c>1'000</c> and <c>1000</c> all
/// become <c>1000</c> (and <c>1,000,000</c> becomes <c>1000000</c>).</item>
/// <item>A decimal point between two digits is kept (<c>3.14</c> stays <c>3.14</c>; <c>3.0</c> is not <c>3</c>); a
/// decimal comma not followed by exactly three digits is treated as punctuation (<c>3,5</c> → <c>3 5</c>).</item>
/// <item>Every other character that is not a letter or a digit becomes a space; runs of whitespace collapse to one
/// space; the result is trimmed.</item>
/// </list>
/// <para>Numbers are not spelled out or in: <c>three</c> does not match <c>3</c>; add such forms as aliases.</para>
/// </remarks>
public static class TextNormalizer
{
    /// <summary>
    /// Whether <paramref name="phrase"/> occurs in <paramref name="text"/> as whole words once both are normalised — the
    /// matching rule of <see cref="NormalizedLeakageDetector"/>, also used to score answers. An empty phrase never matches.
    /// </summary>
    public static bool ContainsPhrase(string? text, string? phrase)
    {
        string needle = Normalize(phrase);
        return needle.Length > 0 && (" " + Normalize(text) + " ").Contains(" " + needle + " ", StringComparison.Ordinal);
    }

    /// <summary>Returns the normalised form of <paramref name="text"/> (see the remarks of <see cref="TextNormalizer"/>).</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        string folded = FoldCaseAndAccents(text);
        var output = new StringBuilder(folded.Length);
        int groupLength = 0; // length of the digit run just written (since the last separator)
        bool pendingSpace = false;
        for (int i = 0; i < folded.Length; i++)
        {
            char c = folded[i];
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && output.Length > 0)
                {
                    output.Append(' ');
                }
                pendingSpace = false;
                output.Append(c);
                groupLength = char.IsDigit(c) ? groupLength + 1 : 0;
                continue;
            }

            bool afterDigit = groupLength > 0 && !pendingSpace;
            if (afterDigit && IsGroupSeparator(c) && groupLength <= 3 && IsThreeDigitGroup(folded, i + 1))
            {
                groupLength = 0; // the next three digits continue the number
                continue;
            }
            if (afterDigit && c == '.' && i + 1 < folded.Length && char.IsDigit(folded[i + 1]))
            {
                output.Append('.');
                groupLength = 0;
                continue;
            }

            pendingSpace = true;
            groupLength = 0;
        }
        return output.ToString();
    }

    private static bool IsGroupSeparator(char c) =>
        c is ',' or ' ' or '\'' or '_' or '\u00A0' or '\u202F' or '\u2009' or '\u2019';

    private static bool IsThreeDigitGroup(string text, int start) =>
        start + 3 <= text.Length
        && char.IsDigit(text[start]) && char.IsDigit(text[start + 1]) && char.IsDigit(text[start + 2])
        && (start + 3 == text.Length || !char.IsDigit(text[start + 3]));

    private static string FoldCaseAndAccents(string text)
    {
        string decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
            }
            switch (c)
            {
                case 'ß': builder.Append("ss"); break;
                case 'æ': builder.Append("ae"); break;
                case 'œ': builder.Append("oe"); break;
                case 'ø': builder.Append('o'); break;
                case 'ł': builder.Append('l'); break;
                case 'đ': builder.Append('d'); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}

using System.Globalization;
using System.Text;

namespace Cipo.Text.Internal;

/// <summary>
/// Rewrites a Hugging Face <c>Split</c> regex (Rust <c>regex</c> / Oniguruma syntax) into a .NET pattern with the same
/// meaning, and collects every character the pattern names literally.
/// </summary>
/// <remarks>
/// The tokenizer regexes use a small, common subset (classes, <c>\p{..}</c>, <c>\s</c>, lookahead, <c>(?i:..)</c>) that .NET
/// reads the same way. What differs is rewritten here: <c>\x{..}</c>/<c>\u{..}</c> escapes, <c>\pL</c> shorthands, long
/// property names, <c>(?P&lt;name&gt;</c> groups, <c>$</c> (end of text in Rust, before a final newline in .NET) and
/// case-insensitive <c>s</c>, which Rust and Oniguruma also let match U+017F (long s) through Unicode simple case folding.
/// The literal characters are returned so <see cref="SupplementaryCharacterProxy"/> can pick stand-ins the pattern never names.
/// </remarks>
internal static class RustRegexTranslator
{
    private const char LongS = '\u017F';

    private static readonly Dictionary<string, string> s_propertyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Letter"] = "L", ["Lowercase_Letter"] = "Ll", ["Uppercase_Letter"] = "Lu", ["Titlecase_Letter"] = "Lt",
        ["Modifier_Letter"] = "Lm", ["Other_Letter"] = "Lo", ["Mark"] = "M", ["Nonspacing_Mark"] = "Mn",
        ["Spacing_Mark"] = "Mc", ["Enclosing_Mark"] = "Me", ["Number"] = "N", ["Decimal_Number"] = "Nd",
        ["Letter_Number"] = "Nl", ["Other_Number"] = "No", ["Punctuation"] = "P", ["Symbol"] = "S",
        ["Math_Symbol"] = "Sm", ["Currency_Symbol"] = "Sc", ["Separator"] = "Z", ["Space_Separator"] = "Zs",
        ["Other"] = "C", ["Control"] = "Cc", ["Format"] = "Cf",
    };

    /// <summary>Translates <paramref name="pattern"/>; throws <see cref="NotSupportedException"/> for syntax with no .NET equivalent.</summary>
    public static string Translate(string pattern, out HashSet<char> literals)
    {
        if (pattern.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            // Matching runs on a proxy text where supplementary characters are stand-ins, so the pattern cannot name them.
            throw new NotSupportedException("characters outside the Basic Multilingual Plane in the pattern are not supported");
        }
        var output = new StringBuilder(pattern.Length + 16);
        var named = new HashSet<char>();
        literals = named;
        bool multiline = pattern.Contains("(?m", StringComparison.Ordinal);

        // Case-insensitivity per open group, so that "(?i:'s)" affects only its group.
        var groupCaseInsensitive = new Stack<bool>();
        bool caseInsensitive = false;

        bool inClass = false;
        bool classHasS = false;
        int lastClassChar = -1;      // the previous class atom when it was a single character (range start candidate)
        bool pendingRange = false;   // a '-' followed a single character inside a class

        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i = TranslateEscape(pattern, i, output, out int literal, inClass);
                if (literal >= 0)
                {
                    AddLiteral(literal);
                }
                else if (inClass)
                {
                    lastClassChar = -1;
                    pendingRange = false;
                }
                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    if (caseInsensitive && classHasS)
                    {
                        output.Append(LongS);
                    }
                    output.Append(']');
                    inClass = false;
                    i++;
                    continue;
                }
                if (c == '[')
                {
                    throw new NotSupportedException("nested character classes and class set operations are not supported");
                }
                if (c == '&' && i + 1 < pattern.Length && pattern[i + 1] == '&')
                {
                    throw new NotSupportedException("character class intersection (&&) is not supported");
                }
                if (c == '-' && lastClassChar >= 0 && i + 1 < pattern.Length && pattern[i + 1] != ']')
                {
                    output.Append(c);
                    pendingRange = true;
                    i++;
                    continue;
                }
                output.Append(c);
                AddLiteral(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    classHasS = false;
                    lastClassChar = -1;
                    pendingRange = false;
                    output.Append(c);
                    i++;
                    // A ']' right after '[' or '[^' is a literal in both dialects.
                    if (i < pattern.Length && pattern[i] == '^')
                    {
                        output.Append('^');
                        i++;
                    }
                    if (i < pattern.Length && pattern[i] == ']')
                    {
                        output.Append("\\]");
                        AddLiteral(']');
                        i++;
                    }
                    break;
                case '(':
                    i = OpenGroup(pattern, i, output, groupCaseInsensitive, ref caseInsensitive);
                    break;
                case ')':
                    caseInsensitive = groupCaseInsensitive.Count > 0 ? groupCaseInsensitive.Pop() : false;
                    output.Append(c);
                    i++;
                    break;
                case '$':
                    output.Append(multiline ? "(?=\\n|\\z)" : "\\z");
                    i++;
                    break;
                case '.' or '^' or '|' or '*' or '+' or '?' or '{' or '}':
                    output.Append(c);
                    i++;
                    break;
                default:
                    AppendLiteralOutsideClass(c);
                    literals.Add(c);
                    i++;
                    break;
            }
        }

        if (inClass)
        {
            throw new NotSupportedException("unterminated character class");
        }
        return output.ToString();

        void AddLiteral(int value)
        {
            char ch = (char)value;
            if (!inClass)
            {
                named.Add(ch);
                return;
            }
            if (pendingRange && lastClassChar >= 0)
            {
                for (int v = lastClassChar; v <= value; v++)
                {
                    named.Add((char)v);
                }
                classHasS |= (lastClassChar <= 's' && value >= 's') || (lastClassChar <= 'S' && value >= 'S');
                pendingRange = false;
                lastClassChar = -1;
                return;
            }
            named.Add(ch);
            classHasS |= ch is 's' or 'S';
            lastClassChar = value;
        }

        void AppendLiteralOutsideClass(char ch)
        {
            if (caseInsensitive && ch is 's' or 'S')
            {
                output.Append("[sS").Append(LongS).Append(']');
            }
            else
            {
                output.Append(ch);
            }
        }
    }

    private static int OpenGroup(string pattern, int i, StringBuilder output, Stack<bool> groupCaseInsensitive, ref bool caseInsensitive)
    {
        groupCaseInsensitive.Push(caseInsensitive);
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            output.Append('(');
            return i + 1;
        }
        if (pattern.AsSpan(i).StartsWith("(?P<", StringComparison.Ordinal))
        {
            output.Append("(?<");
            return i + 4;
        }

        // Inline flags: "(?flags)" changes the enclosing group, "(?flags:" opens a group with them.
        int j = i + 2;
        var flags = new StringBuilder();
        bool on = true;
        bool? newCase = null;
        while (j < pattern.Length && (char.IsAsciiLetter(pattern[j]) || pattern[j] == '-'))
        {
            char f = pattern[j++];
            switch (f)
            {
                case '-':
                    on = false;
                    flags.Append(f);
                    break;
                case 'i':
                    newCase = on;
                    flags.Append(f);
                    break;
                case 'm' or 's' or 'x':
                    flags.Append(f);
                    break;
                case 'u':
                    // Rust's Unicode flag: .NET classes are always Unicode-aware.
                    break;
                default:
                    throw new NotSupportedException($"inline flag '{f}' is not supported");
            }
        }
        if (j > i + 2 && j < pattern.Length && (pattern[j] == ':' || pattern[j] == ')'))
        {
            string netFlags = flags.ToString().TrimEnd('-');
            caseInsensitive = newCase ?? caseInsensitive;
            if (pattern[j] == ')')
            {
                // Applies to the rest of the enclosing group, so it opens no group of its own: undo the push above.
                groupCaseInsensitive.Pop();
                if (netFlags.Length > 0)
                {
                    output.Append("(?").Append(netFlags).Append(')');
                }
                return j + 1;
            }
            output.Append("(?").Append(netFlags).Append(':');
            return j + 1;
        }

        // Lookaround, atomic and named groups share their spelling.
        output.Append("(?");
        return i + 2;
    }

    /// <summary>Copies one escape; <paramref name="literal"/> is the character it denotes, or -1 for a class or assertion.</summary>
    private static int TranslateEscape(string pattern, int i, StringBuilder output, out int literal, bool inClass)
    {
        literal = -1;
        if (i + 1 >= pattern.Length)
        {
            throw new NotSupportedException("the pattern ends with a lone backslash");
        }
        char e = pattern[i + 1];
        switch (e)
        {
            case 'x' or 'u' or 'U':
            {
                int end;
                int codePoint;
                if (i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    end = pattern.IndexOf('}', i + 3);
                    if (end < 0)
                    {
                        throw new NotSupportedException("unterminated \\x{...} escape");
                    }
                    codePoint = ParseHex(pattern.AsSpan(i + 3, end - i - 3));
                    end++;
                }
                else
                {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + 2 + digits > pattern.Length)
                    {
                        throw new NotSupportedException($"truncated \\{e} escape");
                    }
                    codePoint = ParseHex(pattern.AsSpan(i + 2, digits));
                    end = i + 2 + digits;
                }
                if (codePoint > 0xFFFF)
                {
                    throw new NotSupportedException($"escape for U+{codePoint:X} outside the Basic Multilingual Plane is not supported");
                }
                output.Append("\\u").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture));
                literal = codePoint;
                return end;
            }
            case 'p' or 'P':
            {
                string name;
                int end;
                if (i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    int close = pattern.IndexOf('}', i + 3);
                    if (close < 0)
                    {
                        throw new NotSupportedException("unterminated \\p{...} escape");
                    }
                    name = pattern.Substring(i + 3, close - i - 3);
                    end = close + 1;
                }
                else if (i + 2 < pattern.Length)
                {
                    name = pattern[i + 2].ToString();
                    end = i + 3;
                }
                else
                {
                    throw new NotSupportedException("truncated \\p escape");
                }
                if (name.Equals("White_Space", StringComparison.OrdinalIgnoreCase) || name.Equals("Whitespace", StringComparison.OrdinalIgnoreCase))
                {
                    // .NET's \s is exactly the Unicode White_Space property.
                    output.Append(e == 'p' ? "\\s" : "\\S");
                    return end;
                }
                if (s_propertyNames.TryGetValue(name, out string? shortName))
                {
                    name = shortName;
                }
                output.Append('\\').Append(e).Append('{').Append(name).Append('}');
                return end;
            }
            case 'n': output.Append("\\n"); literal = '\n'; return i + 2;
            case 'r': output.Append("\\r"); literal = '\r'; return i + 2;
            case 't': output.Append("\\t"); literal = '\t'; return i + 2;
            case 'f': output.Append("\\f"); literal = '\f'; return i + 2;
            case 'v': output.Append("\\v"); literal = '\v'; return i + 2;
            case 'a': output.Append("\\a"); literal = '\a'; return i + 2;
            case 'e': output.Append("\\e"); literal = '\u001B'; return i + 2;
            case 'd' or 'D' or 'w' or 'W' or 's' or 'S':
                output.Append('\\').Append(e);
                return i + 2;
            case 'b' or 'B' or 'A' or 'z':
                if (inClass && e == 'b')
                {
                    throw new NotSupportedException("\\b inside a character class is not supported");
                }
                output.Append('\\').Append(e);
                return i + 2;
            default:
                if (char.IsAsciiLetterOrDigit(e))
                {
                    throw new NotSupportedException($"escape '\\{e}' is not supported");
                }
                // An escaped punctuation or other character is that character in both dialects.
                output.Append('\\').Append(e);
                literal = e;
                return i + 2;
        }
    }

    private static int ParseHex(ReadOnlySpan<char> digits)
    {
        if (digits.Length == 0 || !int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value) || value > 0x10FFFF)
        {
            throw new NotSupportedException($"invalid hexadecimal escape '{digits.ToString()}'");
        }
        return value;
    }
}

namespace Cipo.Text.Internal;

/// <summary>Input clean-up shared by the tokenizers.</summary>
internal static class TextSanitizer
{
    /// <summary>
    /// Replaces unpaired UTF-16 surrogates by U+FFFD. A .NET string may hold them, but they are not Unicode text:
    /// <see cref="string.Normalize()"/> throws on them and UTF-8 encoding already turns them into U+FFFD, so doing it
    /// up front keeps normalization, regex splitting and byte encoding consistent.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        int i = IndexOfLoneSurrogate(text);
        if (i < 0)
        {
            return text;
        }
        char[] chars = text.ToCharArray();
        for (; i < chars.Length; i++)
        {
            char c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    private static int IndexOfLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }
}

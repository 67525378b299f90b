using System.Text;

namespace Cipo.Text.Internal;

/// <summary>
/// The GPT-2 byte-to-unicode table that byte-level BPE vocabularies are written in: every byte maps to a printable
/// character (space becomes 'Ġ', newline 'Ċ'), so a vocabulary of strings can hold arbitrary UTF-8 byte sequences.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly short[] s_charToByte = BuildCharToByte(s_byteToChar);

    /// <summary>The character a byte is written as.</summary>
    public static char ByteToChar(byte b) => s_byteToChar[b];

    /// <summary>The byte a character stands for, or -1 when the character is not part of the alphabet.</summary>
    public static int CharToByte(char c) => c < s_charToByte.Length ? s_charToByte[c] : -1;

    /// <summary>The byte-level form of a piece of text (its UTF-8 bytes, each written as its alphabet character).</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        int byteCount = Encoding.UTF8.GetByteCount(text);
        byte[] bytes = new byte[byteCount];
        Encoding.UTF8.GetBytes(text, bytes);
        return string.Create(byteCount, bytes, static (chars, state) =>
        {
            for (int i = 0; i < state.Length; i++)
            {
                chars[i] = s_byteToChar[state[i]];
            }
        });
    }

    /// <summary>
    /// Appends the bytes of one token the way the Hugging Face ByteLevel decoder does: a token made only of alphabet
    /// characters stands for those bytes; any other token (an added token such as <c>&lt;｜User｜&gt;</c>) for its own UTF-8.
    /// </summary>
    public static void AppendTokenBytes(string token, List<byte> bytes)
    {
        foreach (char c in token)
        {
            if (CharToByte(c) < 0)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
        }
        foreach (char c in token)
        {
            bytes.Add((byte)CharToByte(c));
        }
    }

    private static char[] BuildByteToChar()
    {
        // Printable Latin-1 bytes keep their own character; the other 68 bytes are shifted to U+0100.. in byte order.
        var map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + next++);
        }
        return map;
    }

    private static short[] BuildCharToByte(char[] byteToChar)
    {
        var map = new short[256 + 68];
        Array.Fill(map, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            map[byteToChar[b]] = (short)b;
        }
        return map;
    }
}

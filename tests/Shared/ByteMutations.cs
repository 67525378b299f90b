// Written by hand: CsCheck generates random values, not file corruptions; these mutations turn a valid file into the
// kinds of damage a parser meets (flipped, inserted, deleted, duplicated bytes, truncation, JSON-significant tokens).
using System.Text;
using CsCheck;

namespace Cipo.Testing;

/// <summary>One random change to a file's bytes; positions wrap around the file's length.</summary>
/// <param name="Kind">0 overwrite a byte, 1 overwrite with a token, 2 delete a range, 3 insert random bytes, 4 truncate, 5 duplicate a range, 6 insert a token.</param>
/// <param name="Position">Where (modulo the length).</param>
/// <param name="Value">The byte written or inserted.</param>
/// <param name="Length">How many bytes a range covers (1 to 32).</param>
/// <param name="Token">Which entry of <see cref="ByteMutations.Tokens"/>.</param>
internal readonly record struct ByteMutation(int Kind, uint Position, byte Value, int Length, int Token)
{
    public override string ToString() => Kind switch
    {
        0 => $"overwrite @{Position} with 0x{Value:X2}",
        1 or 6 => $"{(Kind == 1 ? "overwrite" : "insert")} @{Position} with token {Encoding.UTF8.GetString(ByteMutations.Tokens[Token])}",
        2 => $"delete {Length} @{Position}",
        3 => $"insert {Length} x 0x{Value:X2} @{Position}",
        4 => $"truncate @{Position}",
        _ => $"duplicate {Length} @{Position}",
    };
}

/// <summary>Random corruptions of valid files for the property tests of the parsers (CsCheck generators).</summary>
internal static class ByteMutations
{
    /// <summary>Byte sequences that matter to JSON, UTF-8 and line-based parsers.</summary>
    public static readonly byte[][] Tokens =
    [
        "\""u8.ToArray(), "\\"u8.ToArray(), "\n"u8.ToArray(), "\r"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(),
        "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "null"u8.ToArray(), "-1"u8.ToArray(),
        "1e999"u8.ToArray(), "99999999999999999999"u8.ToArray(), "0.5"u8.ToArray(), "\\ud800"u8.ToArray(), "\\udc00"u8.ToArray(),
        "\\u0000"u8.ToArray(), "\\uZZZZ"u8.ToArray(), "\"\":\"\""u8.ToArray(), new string('[', 100).Select(c => (byte)c).ToArray(),
        [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0x00],
    ];

    /// <summary>One mutation.</summary>
    public static readonly Gen<ByteMutation> One = Gen.Select(Gen.Int[0, 6], Gen.UInt, Gen.Byte, Gen.Int[1, 32], Gen.Int[0, Tokens.Length - 1],
        (kind, position, value, length, token) => new ByteMutation(kind, position, value, length, token));

    /// <summary>One to eight mutations, applied in order.</summary>
    public static readonly Gen<ByteMutation[]> Many = One.Array[1, 8];

    /// <summary>
    /// The iterations of a property: <c>-1</c> (CsCheck's own setting) when the <c>CsCheck_Iter</c> or <c>CsCheck_Time</c>
    /// environment variable is set, else <paramref name="fallback"/>.
    /// </summary>
    public static long Iterations(long fallback) =>
        Environment.GetEnvironmentVariable("CsCheck_Iter") is { Length: > 0 } || Environment.GetEnvironmentVariable("CsCheck_Time") is { Length: > 0 } ? -1 : fallback;

    /// <summary>Applies <paramref name="mutations"/> to a copy of <paramref name="source"/>.</summary>
    public static byte[] Apply(byte[] source, ByteMutation[] mutations)
    {
        var bytes = new List<byte>(source);
        foreach (ByteMutation m in mutations)
        {
            int at = bytes.Count == 0 ? 0 : (int)(m.Position % (uint)bytes.Count);
            int length = Math.Min(m.Length, bytes.Count - at);
            switch (m.Kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = m.Value;
                    break;
                case 1 when bytes.Count > 0:
                    byte[] token = Tokens[m.Token];
                    bytes.RemoveRange(at, Math.Min(token.Length, bytes.Count - at));
                    bytes.InsertRange(at, token);
                    break;
                case 2:
                    bytes.RemoveRange(at, length);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Repeat(m.Value, m.Length));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 6:
                    bytes.InsertRange(at, Tokens[m.Token]);
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>How the mutated inputs fared: every input must be accepted or refused with the documented exception.</summary>
    internal sealed class Outcomes
    {
        private long _accepted;
        private long _refused;

        public long Accepted => Interlocked.Read(ref _accepted);

        public long Refused => Interlocked.Read(ref _refused);

        public void Accept() => Interlocked.Increment(ref _accepted);

        public void Refuse() => Interlocked.Increment(ref _refused);
    }
}

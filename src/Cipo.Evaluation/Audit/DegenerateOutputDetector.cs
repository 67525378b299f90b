using System.Globalization;

namespace Cipo.Evaluation.Audit;

/// <summary>
/// Flags degenerate outputs — the sign of over-unlearning — by a fixed rule on the whitespace-separated tokens of the
/// trace followed by the answer:
/// <list type="number">
/// <item><b>empty</b>: no token at all;</item>
/// <item><b>repetition</b>: some n-gram of 1 to <see cref="MaxNGram"/> tokens repeats back to back at least
/// <see cref="MinRepeats"/> times (<c>the the the the</c>, <c>is a is a is a is a</c>);</item>
/// <item><b>gibberish</b>: at least <see cref="JunkShare"/> of the tokens are junk — they hold a replacement character
/// (U+FFFD) or a control character, or hold no letter or digit and are not ordinary punctuation (<c>. , ; : ! ? ' " ( ) -</c>).</item>
/// </list>
/// </summary>
/// <param name="MaxNGram">Longest repeated n-gram checked (≥ 1). The default value is 4.</param>
/// <param name="MinRepeats">Back-to-back repeats that make an output degenerate (≥ 2). The default value is 4.</param>
/// <param name="JunkShare">Share of junk tokens that makes an output gibberish, in (0, 1]. The default value is 0.5.</param>
public sealed record DegenerateOutputDetector(int MaxNGram = 4, int MinRepeats = 4, double JunkShare = 0.5)
{
    private const string Punctuation = ".,;:!?'\"()-";

    /// <summary>Why an output is degenerate.</summary>
    public enum Reason
    {
        /// <summary>Not degenerate.</summary>
        None,
        /// <summary>No token.</summary>
        Empty,
        /// <summary>A repeated n-gram.</summary>
        Repetition,
        /// <summary>Mostly junk tokens.</summary>
        Gibberish,
    }

    /// <summary>Whether the trajectory's trace and answer are degenerate.</summary>
    public bool IsDegenerate(ReasoningTrajectory trajectory) => Classify(trajectory) != Reason.None;

    /// <summary>The rule that flags the trajectory, or <see cref="Reason.None"/>.</summary>
    public Reason Classify(ReasoningTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string[] tokens = (trajectory.ReasoningTrace + " " + trajectory.Answer)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0)
        {
            return Reason.Empty;
        }
        if (HasRepeat(tokens))
        {
            return Reason.Repetition;
        }
        int junk = tokens.Count(IsJunk);
        return junk >= JunkShare * tokens.Length ? Reason.Gibberish : Reason.None;
    }

    private bool HasRepeat(string[] tokens)
    {
        for (int n = 1; n <= MaxNGram; n++)
        {
            for (int start = 0; start + n * MinRepeats <= tokens.Length; start++)
            {
                int repeats = 1;
                for (int next = start + n; next + n <= tokens.Length && SameNGram(tokens, start, next, n); next += n)
                {
                    if (++repeats >= MinRepeats)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static bool SameNGram(string[] tokens, int a, int b, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (!string.Equals(tokens[a + i], tokens[b + i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsJunk(string token)
    {
        bool letterOrDigit = false;
        foreach (char c in token)
        {
            if (c == '\uFFFD' || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.PrivateUse)
            {
                return true;
            }
            letterOrDigit |= char.IsLetterOrDigit(c);
        }
        return !letterOrDigit && token.Any(c => !Punctuation.Contains(c, StringComparison.Ordinal));
    }
}

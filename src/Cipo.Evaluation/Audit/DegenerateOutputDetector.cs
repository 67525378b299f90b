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
/// (U+FFFD) or a control character, or hold no letter or digit and are not ordinary punctuation (<c>. , ; : ! ? ' " ( ) -</c>);</item>
/// <item><b>no answer</b>: a trace but an empty answer (the output never reached one);</item>
/// <item><b>off-topic</b>: with a reference trace and <see cref="OffTopicMarkers"/>, the output holds a marker word of
/// another task's format that the reference trace does not (scraps of a column-arithmetic scratchpad — <c>ones</c>,
/// <c>carry</c>, <c>=</c> — in an answer about a person);</item>
/// <item><b>answer form</b>: with a reference answer and <see cref="CheckAnswerForm"/>, the answer is a number where the
/// reference answer is words, or words where it is a number, and is no abstention ("Who wrote …?" → <c>9</c>).</item>
/// </list>
/// The rules flag broken language and format, not wrong facts: a fluent wrong answer or an honest "I don't know" is not
/// degenerate. Precision and recall against outputs labelled by hand: docs/metrics.md.
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
        /// <summary>Another task's format: a marker word the reference trace does not use.</summary>
        OffTopic,
        /// <summary>A trace without an answer.</summary>
        NoAnswer,
        /// <summary>A number where the reference answer is words, or the reverse.</summary>
        AnswerForm,
    }

    /// <summary>
    /// Whether an answer of the other form than the reference answer (number against words) is degenerate. Off by default:
    /// free text may answer a year in words; the embedded world, whose answers are one form or the other, turns it on.
    /// </summary>
    public bool CheckAnswerForm { get; init; }

    /// <summary>
    /// Marker words of other tasks' formats (whole tokens, case-insensitive); empty by default, so the off-topic rule is off.
    /// The embedded world uses the column-arithmetic words (<see cref="World.ArithmeticScratchpad.MarkerWords"/>).
    /// </summary>
    public IReadOnlyList<string> OffTopicMarkers { get; init; } = [];

    /// <summary>Whether the trajectory's trace and answer are degenerate.</summary>
    /// <param name="trajectory">The output.</param>
    /// <param name="referenceTrace">The reference trace of the question, for the off-topic rule; none: the rule is skipped.</param>
    /// <param name="referenceAnswer">The reference answer, for the answer-form rule; none: the rule is skipped.</param>
    public bool IsDegenerate(ReasoningTrajectory trajectory, string? referenceTrace = null, string? referenceAnswer = null) =>
        Classify(trajectory, referenceTrace, referenceAnswer) != Reason.None;

    /// <summary>The rule that flags the trajectory, or <see cref="Reason.None"/>.</summary>
    /// <param name="trajectory">The output.</param>
    /// <param name="referenceTrace">The reference trace of the question, for the off-topic rule; none: the rule is skipped.</param>
    /// <param name="referenceAnswer">The reference answer, for the answer-form rule; none: the rule is skipped.</param>
    public Reason Classify(ReasoningTrajectory trajectory, string? referenceTrace = null, string? referenceAnswer = null)
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
        if (junk >= JunkShare * tokens.Length)
        {
            return Reason.Gibberish;
        }
        if (string.IsNullOrWhiteSpace(trajectory.Answer))
        {
            return Reason.NoAnswer;
        }
        if (referenceTrace is not null && IsOffTopic(tokens, referenceTrace))
        {
            return Reason.OffTopic;
        }
        if (CheckAnswerForm && !string.IsNullOrWhiteSpace(referenceAnswer) && !Leakage.Abstention.IsStatedIn(trajectory.Answer)
            && IsNumber(trajectory.Answer) != IsNumber(referenceAnswer))
        {
            return Reason.AnswerForm;
        }
        return Reason.None;
    }

    /// <summary>Every whitespace-separated token is made of digits (the world writes numbers digit by digit or as one word).</summary>
    private static bool IsNumber(string text)
    {
        string[] tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length > 0 && tokens.All(t => t.All(char.IsAsciiDigit));
    }

    private bool IsOffTopic(string[] tokens, string referenceTrace)
    {
        if (OffTopicMarkers.Count == 0)
        {
            return false;
        }
        var reference = referenceTrace.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return tokens.Any(t => !reference.Contains(t) && OffTopicMarkers.Contains(t, StringComparer.OrdinalIgnoreCase));
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

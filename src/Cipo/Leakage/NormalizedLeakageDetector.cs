using System.Runtime.CompilerServices;

namespace Cipo.Leakage;

/// <summary>
/// Finds a target's forbidden strings (answer, aliases, keywords) in a trajectory after <see cref="TextNormalizer"/>
/// normalisation of both sides, on word boundaries: <c>Ada</c> matches <c>ada's</c> and <c>ADA</c> but not <c>Adam</c>.
/// A target with a <see cref="ForgetTarget.Passage"/> also leaks where the text reproduces any run of
/// <see cref="VerbatimWindow"/> consecutive words of the passage, after the same normalisation (MUSE's verbatim
/// memorisation, caught as it happens rather than only scored afterwards).
/// </summary>
/// <remarks>Forbidden strings that normalise to nothing (empty, whitespace, punctuation only) are ignored. Thread-safe.</remarks>
public sealed class NormalizedLeakageDetector : ILeakageDetector
{
    /// <summary>
    /// The default verbatim window: 8 words. Long enough that common phrases a refusal or a summary shares with the
    /// passage ("at the end of the day") do not count, short enough that a reproduced sentence does.
    /// </summary>
    public const int DefaultVerbatimWindow = 8;

    private readonly ConditionalWeakTable<ForgetTarget, Rule> _rules = new();

    /// <summary>Creates the detector with the default verbatim window (<see cref="DefaultVerbatimWindow"/> words).</summary>
    public NormalizedLeakageDetector()
        : this(DefaultVerbatimWindow)
    {
    }

    /// <summary>Creates the detector with a verbatim window of <paramref name="verbatimWindow"/> words.</summary>
    /// <param name="verbatimWindow">
    /// How many consecutive words of a target's passage count as reproducing it; at least 1. A passage shorter than the
    /// window leaks only when reproduced whole.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="verbatimWindow"/> is less than 1.</exception>
    public NormalizedLeakageDetector(int verbatimWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(verbatimWindow, 1);
        VerbatimWindow = verbatimWindow;
    }

    /// <summary>How many consecutive words of a target's passage count as reproducing it.</summary>
    public int VerbatimWindow { get; }

    /// <inheritdoc />
    public LeakageCheck Check(ReasoningTrajectory trajectory, ForgetTarget target)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(target);
        Rule rule = GetRule(target);
        if (rule.IsEmpty)
        {
            return LeakageCheck.None;
        }

        string trace = Pad(TextNormalizer.Normalize(trajectory.ReasoningTrace));
        string answer = Pad(TextNormalizer.Normalize(trajectory.Answer));
        bool inTrace = false, inAnswer = false;
        var matched = new List<string>();
        foreach (Needle needle in rule.Needles)
        {
            bool t = trace.Contains(needle.Padded, StringComparison.Ordinal);
            bool a = answer.Contains(needle.Padded, StringComparison.Ordinal);
            inTrace |= t;
            inAnswer |= a;
            if ((t || a) && !matched.Contains(needle.Original))
            {
                matched.Add(needle.Original);
            }
        }
        if (rule.Passage is { } passage)
        {
            string? t = passage.FindIn(trajectory.ReasoningTrace);
            string? a = passage.FindIn(trajectory.Answer);
            inTrace |= t is not null;
            inAnswer |= a is not null;
            foreach (string run in new[] { t, a }.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                matched.Add(run);
            }
        }
        return inTrace || inAnswer ? new LeakageCheck(inTrace, inAnswer, matched) : LeakageCheck.None;
    }

    /// <inheritdoc />
    public bool Contains(string text, ForgetTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Rule rule = GetRule(target);
        if (rule.IsEmpty || string.IsNullOrEmpty(text))
        {
            return false;
        }
        string haystack = Pad(TextNormalizer.Normalize(text));
        return rule.Needles.Any(n => haystack.Contains(n.Padded, StringComparison.Ordinal)) || rule.Passage?.FindIn(text) is not null;
    }

    private Rule GetRule(ForgetTarget target) =>
        _rules.GetValue(target, t => new Rule(
            t.ForbiddenStrings
                .Where(s => !string.IsNullOrWhiteSpace(s))
                .Select(s => new Needle(s, TextNormalizer.Normalize(s)))
                .Where(n => n.Normalized.Length > 0)
                .ToArray(),
            VerbatimWindows.For(t.Passage, VerbatimWindow)));

    private static string Pad(string normalized) => " " + normalized + " ";

    private sealed record Rule(Needle[] Needles, VerbatimWindows? Passage)
    {
        public bool IsEmpty => Needles.Length == 0 && Passage is null;
    }

    private sealed record Needle(string Original, string Normalized)
    {
        public string Padded { get; } = " " + Normalized + " ";
    }
}

using System.Runtime.CompilerServices;

namespace Cipo.Leakage;

/// <summary>
/// Finds a target's forbidden strings (answer, aliases, keywords) in a trajectory after <see cref="TextNormalizer"/>
/// normalisation of both sides, on word boundaries: <c>Ada</c> matches <c>ada's</c> and <c>ADA</c> but not <c>Adam</c>.
/// </summary>
/// <remarks>Forbidden strings that normalise to nothing (empty, whitespace, punctuation only) are ignored. Thread-safe.</remarks>
public sealed class NormalizedLeakageDetector : ILeakageDetector
{
    private readonly ConditionalWeakTable<ForgetTarget, Needle[]> _needles = new();

    /// <inheritdoc />
    public LeakageCheck Check(ReasoningTrajectory trajectory, ForgetTarget target)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(target);
        Needle[] needles = GetNeedles(target);
        if (needles.Length == 0)
        {
            return LeakageCheck.None;
        }

        string trace = Pad(TextNormalizer.Normalize(trajectory.ReasoningTrace));
        string answer = Pad(TextNormalizer.Normalize(trajectory.Answer));
        bool inTrace = false, inAnswer = false;
        var matched = new List<string>();
        foreach (Needle needle in needles)
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
        return inTrace || inAnswer ? new LeakageCheck(inTrace, inAnswer, matched) : LeakageCheck.None;
    }

    /// <inheritdoc />
    public bool Contains(string text, ForgetTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Needle[] needles = GetNeedles(target);
        if (needles.Length == 0 || string.IsNullOrEmpty(text))
        {
            return false;
        }
        string haystack = Pad(TextNormalizer.Normalize(text));
        return needles.Any(n => haystack.Contains(n.Padded, StringComparison.Ordinal));
    }

    private Needle[] GetNeedles(ForgetTarget target) =>
        _needles.GetValue(target, static t => t.ForbiddenStrings
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => new Needle(s, TextNormalizer.Normalize(s)))
            .Where(n => n.Normalized.Length > 0)
            .ToArray());

    private static string Pad(string normalized) => " " + normalized + " ";

    private sealed record Needle(string Original, string Normalized)
    {
        public string Padded { get; } = " " + Normalized + " ";
    }
}

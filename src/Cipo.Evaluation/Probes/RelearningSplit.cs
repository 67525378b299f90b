using Cipo.Leakage;

namespace Cipo.Evaluation.Probes;

/// <summary>
/// The data of a relearning attack: the trajectories a copy of the model is fine-tuned on, and the forget probes whose
/// leakage is measured before and after. Clean by construction: no training trajectory (prompt, trace or answer) holds a
/// forbidden string of an evaluation probe, so what comes back was recovered from the weights, not taught again.
/// </summary>
/// <param name="Train">The fine-tuning trajectories.</param>
/// <param name="EvalProbeIds">Ids of the forget probes measured before and after.</param>
/// <param name="Dropped">Trajectories left out because they held an evaluation probe's forbidden string.</param>
public sealed record RelearningSplit(IReadOnlyList<ReasoningTrajectory> Train, IReadOnlyList<string> EvalProbeIds, int Dropped = 0)
{
    /// <summary>
    /// The split of a probe set that names none: targets in id order, even positions relearned (their probes' true
    /// trajectories), odd positions measured; then <see cref="Clean"/>.
    /// </summary>
    /// <param name="forget">Forget probes.</param>
    /// <returns>The split; with fewer than two targets there is nothing to hold out and both lists are empty.</returns>
    public static RelearningSplit Derive(IReadOnlyList<AuditProbe> forget)
    {
        ArgumentNullException.ThrowIfNull(forget);
        string[] targetIds = forget.Select(p => p.EffectiveTargetId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (targetIds.Length < 2)
        {
            return new RelearningSplit([], []);
        }
        var trainTargets = targetIds.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
        ReasoningTrajectory[] train = forget.Where(p => trainTargets.Contains(p.EffectiveTargetId) && p.TrueTrajectory is not null)
            .Select(p => p.TrueTrajectory!).ToArray();
        AuditProbe[] eval = forget.Where(p => !trainTargets.Contains(p.EffectiveTargetId)).ToArray();
        return Clean(train, eval);
    }

    /// <summary>
    /// The split of <paramref name="train"/> against <paramref name="eval"/>: every trajectory that holds (as whole words,
    /// after <see cref="TextNormalizer"/> normalisation) a forbidden string of an evaluation probe is dropped.
    /// </summary>
    public static RelearningSplit Clean(IReadOnlyList<ReasoningTrajectory> train, IReadOnlyList<AuditProbe> eval)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(eval);
        string[] forbidden = Needles(eval.SelectMany(p => p.Forbidden));
        ReasoningTrajectory[] kept = train.Where(t => !HoldsAny(Haystack(t), forbidden)).ToArray();
        return new RelearningSplit(kept, eval.Select(p => p.Id).ToArray(), train.Count - kept.Length);
    }

    /// <summary>Whether the trajectory's prompt, trace or answer holds one of <paramref name="forbidden"/> as whole words.</summary>
    public static bool HoldsAny(ReasoningTrajectory trajectory, IEnumerable<string> forbidden)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(forbidden);
        return HoldsAny(Haystack(trajectory), Needles(forbidden));
    }

    // Normalised once, padded with spaces: the whole-word rule of TextNormalizer.ContainsPhrase as a plain Contains.
    internal static string Haystack(ReasoningTrajectory t) =>
        " " + TextNormalizer.Normalize(t.Prompt + " " + t.ReasoningTrace + " " + t.Answer) + " ";

    internal static string[] Needles(IEnumerable<string> forbidden) => forbidden.Select(TextNormalizer.Normalize)
        .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Select(n => " " + n + " ").ToArray();

    internal static bool HoldsAny(string haystack, string[] needles) => needles.Any(n => haystack.Contains(n, StringComparison.Ordinal));
}

using System.Text.RegularExpressions;
using Cipo.Leakage;

namespace Cipo;

/// <summary>
/// The <c>fact-update</c> counterfactual: a trajectory about an outdated fact rewritten to the new one. Every mention of
/// the target's old answer or one of its aliases (whole words, any case) becomes the <see cref="ForgetTarget.Replacement"/>,
/// in the trace and the answer, so the reasoning that reached the old fact now reaches the new one in the same words.
/// </summary>
public static class FactUpdateRewrite
{
    /// <summary>
    /// The rewritten trajectory, or <see langword="null"/> when the target has no replacement or the rewrite is not a
    /// valid update: its answer does not state the replacement, it still holds a forbidden string of the old fact (a
    /// keyword, a partial mention), or its answer does not follow from its trace (<see cref="CounterfactualChecks"/>).
    /// </summary>
    /// <param name="target">The target with its <see cref="ForgetTarget.Replacement"/>.</param>
    /// <param name="trajectory">A trajectory of the model, usually one that states the old fact.</param>
    /// <param name="leakage">The leakage check that decides whether anything of the old fact is left.</param>
    public static ReasoningTrajectory? Of(ForgetTarget target, ReasoningTrajectory trajectory, ILeakageDetector leakage)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(leakage);
        if (string.IsNullOrWhiteSpace(target.Replacement))
        {
            return null;
        }
        // Longest first, so that an alias inside the answer ("Fred" in "Fred City") is not replaced before it.
        string[] old = new[] { target.Answer }.Concat(target.Aliases).Where(s => !string.IsNullOrWhiteSpace(s))
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(s => s.Length).ToArray();
        var pattern = new Regex(@"(?<![\p{L}\p{N}])(?:" + string.Join("|", old.Select(Regex.Escape)) + @")(?![\p{L}\p{N}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        string Rewrite(string text) => pattern.Replace(text, _ => target.Replacement); // an evaluator: '$' in the replacement is text
        var rewritten = new ReasoningTrajectory(trajectory.Prompt, Rewrite(trajectory.ReasoningTrace), Rewrite(trajectory.Answer));
        bool states = new[] { target.Replacement }.Concat(target.ReplacementAliases).Any(r => TextNormalizer.ContainsPhrase(rewritten.Answer, r));
        return states && !leakage.Check(rewritten, target).Leaks && CounterfactualChecks.IsConsistent(rewritten) ? rewritten : null;
    }
}

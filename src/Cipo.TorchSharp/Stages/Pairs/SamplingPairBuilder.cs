using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// Default <see cref="IPreferencePairBuilder"/>: samples K trajectories (and the greedy one) per forget prompt from the
/// current policy, checks trace and answer for leakage, and pairs each leaking sample (rejected, <c>sampled</c>) with a
/// counterfactual (chosen). A prompt that samples fewer leaks than <see cref="SamplingPairBuilderOptions.MaxPairsPerPrompt"/>
/// is topped up from the leak pool the loop passes in, ranked by what the current policy still prefers most
/// (<c>pool</c>; see <see cref="SamplingPairBuilderOptions.RefreshFromLeakPool"/>), or, with the refresh off, paired with
/// the original model's leaks once it samples clean (<c>original</c>).
/// </summary>
/// <remarks>
/// Only the targets' own prompts are sampled, scored and paired (no probe or validation prompt is ever trained on), and a
/// prompt's rejected sides only ever come from leaks of its own target.
/// </remarks>
internal sealed class SamplingPairBuilder(
    ILeakageDetector leakage,
    IOptions<SamplingPairBuilderOptions> options,
    IOptions<CipoOptions> cipoOptions,
    ILogger<SamplingPairBuilder> logger) : IPreferencePairBuilder
{
    public async Task<PairBuildResult> BuildAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<CounterfactualTrajectory> counterfactuals,
        IReadOnlyList<SampledTrajectory> originalLeaks, int round, CancellationToken cancellationToken)
    {
        SamplingPairBuilderOptions o = options.Value;
        var jobs = targets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))).ToArray();
        long seed = cipoOptions.Value.Seed + 104729L * round;

        var sampled = await policy.SampleAsync(jobs.SelectMany(j => Enumerable.Repeat(j.Prompt, o.SamplesPerPrompt)).ToArray(),
            new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: seed), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)> greedy = o.IncludeGreedy
            ? await policy.SampleAsync(jobs.Select(j => j.Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), cancellationToken).ConfigureAwait(false)
            : [];

        // This round's samples of every prompt, and the leaks among them that a prompt pairs as "sampled".
        var mine = new List<SampledTrajectory>[jobs.Length];
        var fresh = new List<ReasoningTrajectory>[jobs.Length];
        for (int j = 0; j < jobs.Length; j++)
        {
            ForgetTarget target = jobs[j].Target;
            mine[j] = [];
            if (o.IncludeGreedy)
            {
                mine[j].Add(Checked(target, greedy[j], round));
            }
            for (int k = 0; k < o.SamplesPerPrompt; k++)
            {
                mine[j].Add(Checked(target, sampled[j * o.SamplesPerPrompt + k], round));
            }
            fresh[j] = mine[j].Where(s => s.Leakage.Leaks).Select(s => s.Trajectory).Distinct().ToList();
        }

        var chosen = new CounterfactualTrajectory[jobs.Length][];
        var remembered = new List<(ReasoningTrajectory Trajectory, string Source)>[jobs.Length];
        var candidates = new List<PoolCandidate>[jobs.Length];
        for (int j = 0; j < jobs.Length; j++)
        {
            var (target, prompt) = jobs[j];
            chosen[j] = counterfactuals.Where(c => c.TargetId == target.Id && c.Trajectory.Prompt == prompt).ToArray();
            remembered[j] = [];
            candidates[j] = [];
            if (chosen[j].Length == 0 || !o.UseOriginalLeaks || fresh[j].Count >= o.MaxPairsPerPrompt)
            {
                continue;
            }
            if (o.RefreshFromLeakPool)
            {
                candidates[j] = PoolCandidates(j, jobs, originalLeaks, fresh, o.MaxPoolCandidatesPerPrompt);
            }
            else if (fresh[j].Count == 0)
            {
                // Round 1's leaks (stamped 1, or unstamped by an older caller) are the original model's.
                remembered[j] = originalLeaks.Where(s => s.TargetId == target.Id && s.Trajectory.Prompt == prompt && s.Round <= 1)
                    .Select(s => (s.Trajectory, Source: "original")).DistinctBy(r => r.Trajectory).ToList();
            }
        }
        RankCandidates(policy, candidates, cancellationToken);

        var pairs = new List<PreferencePair>();
        for (int j = 0; j < jobs.Length; j++)
        {
            var (target, prompt) = jobs[j];
            if (chosen[j].Length == 0)
            {
                continue;
            }
            var rejected = fresh[j].Select(t => (Trajectory: t, Source: "sampled"))
                .Concat(remembered[j])
                .Concat(candidates[j].Select(c => (c.Trajectory, Source: "pool")))
                .Take(o.MaxPairsPerPrompt)
                .ToList();
            for (int r = 0; r < rejected.Count; r++)
            {
                CounterfactualTrajectory c = chosen[j][r % chosen[j].Length];
                pairs.Add(new PreferencePair(target.Id, prompt, c.Trajectory, rejected[r].Trajectory, round, c.Strategy, rejected[r].Source)
                {
                    UnknownSubjectRejected = UnknownSubjectCounterpart.Of(target, prompt, rejected[r].Trajectory),
                });
            }
        }
        List<SampledTrajectory> samples = mine.SelectMany(m => m).ToList();
        logger.LogInformation("Round {Round}: {Samples} samples, {Leaking} leaking, {Pairs} pairs ({Sampled} against sampled leaks, {Pool} against the leak pool, {Original} against original leaks)",
            round, samples.Count, samples.Count(s => s.Leakage.Leaks), pairs.Count, pairs.Count(p => p.RejectedSource == "sampled"),
            pairs.Count(p => p.RejectedSource == "pool"), pairs.Count(p => p.RejectedSource == "original"));
        return new PairBuildResult(pairs, samples);
    }

    /// <summary>
    /// The remembered leaks prompt <paramref name="j"/> may be paired with: the pool's leaks of its target on any of the
    /// target's prompts, then this round's leaks on the target's other prompts, each re-asked under this prompt, distinct
    /// and unlike this prompt's fresh leaks; the newest <paramref name="max"/>, in pool order.
    /// </summary>
    private static List<PoolCandidate> PoolCandidates(int j, (ForgetTarget Target, string Prompt)[] jobs, IReadOnlyList<SampledTrajectory> pool,
        List<ReasoningTrajectory>[] fresh, int max)
    {
        var (target, prompt) = jobs[j];
        var ownPrompts = target.Prompts.ToHashSet(StringComparer.Ordinal);
        IEnumerable<ReasoningTrajectory> others = Enumerable.Range(0, jobs.Length)
            .Where(i => i != j && ReferenceEquals(jobs[i].Target, target))
            .SelectMany(i => fresh[i]);
        var seen = fresh[j].Select(t => (t.ReasoningTrace, t.Answer)).ToHashSet();
        var result = new List<PoolCandidate>();
        foreach (ReasoningTrajectory leak in pool.Where(s => s.TargetId == target.Id && ownPrompts.Contains(s.Trajectory.Prompt)).Select(s => s.Trajectory).Concat(others))
        {
            if (seen.Add((leak.ReasoningTrace, leak.Answer)))
            {
                result.Add(new PoolCandidate(leak with { Prompt = prompt }, string.Equals(leak.Prompt, prompt, StringComparison.Ordinal), result.Count));
            }
        }
        return result.Count > max ? result.GetRange(result.Count - max, max) : result;
    }

    /// <summary>
    /// Orders every prompt's candidates by what the current policy prefers most: mean log-probability per token, highest
    /// first, ties in pool order. All prompts are scored in one call. Without a scorer: the prompt's own leaks first, newest first.
    /// </summary>
    private static void RankCandidates(IPolicyModel policy, List<PoolCandidate>[] candidates, CancellationToken cancellationToken)
    {
        if (policy is not ICompletionScorer scorer)
        {
            for (int j = 0; j < candidates.Length; j++)
            {
                candidates[j] = candidates[j].OrderByDescending(c => c.OwnPrompt).ThenByDescending(c => c.Order).ToList();
            }
            return;
        }
        var all = candidates.SelectMany(c => c).ToArray();
        if (all.Length == 0)
        {
            return;
        }
        IReadOnlyList<CompletionScore> scores = scorer.ScoreCompletions(all.Select(c => (c.Trajectory.Prompt, c.Trajectory)).ToArray(), cancellationToken);
        var score = new Dictionary<PoolCandidate, double>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < all.Length; i++)
        {
            double mean = scores[i].MeanLogProb;
            score[all[i]] = double.IsNaN(mean) ? double.NegativeInfinity : mean;
        }
        for (int j = 0; j < candidates.Length; j++)
        {
            candidates[j] = candidates[j].OrderByDescending(c => score[c]).ThenBy(c => c.Order).ToList();
        }
    }

    private SampledTrajectory Checked(ForgetTarget target, (ReasoningTrajectory Trajectory, bool IsWellFormed) s, int round) =>
        new(target.Id, s.Trajectory, leakage.Check(s.Trajectory, target), s.IsWellFormed) { Round = round };

    /// <summary>A remembered leak re-asked under the prompt it may be paired with.</summary>
    private sealed record PoolCandidate(ReasoningTrajectory Trajectory, bool OwnPrompt, int Order);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// Default <see cref="IPreferencePairBuilder"/>: samples K trajectories (and the greedy one) per forget prompt from the
/// current policy, checks trace and answer for leakage, and pairs each leaking sample (rejected) with a counterfactual
/// (chosen). Prompts that no longer leak are paired with the original model's leaks.
/// </summary>
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
        var samples = new List<SampledTrajectory>();
        long seed = cipoOptions.Value.Seed + 104729L * round;

        var sampled = await policy.SampleAsync(jobs.SelectMany(j => Enumerable.Repeat(j.Prompt, o.SamplesPerPrompt)).ToArray(),
            new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: seed), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)> greedy = o.IncludeGreedy
            ? await policy.SampleAsync(jobs.Select(j => j.Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), cancellationToken).ConfigureAwait(false)
            : [];

        var pairs = new List<PreferencePair>();
        for (int j = 0; j < jobs.Length; j++)
        {
            var (target, prompt) = jobs[j];
            var mine = new List<SampledTrajectory>();
            if (o.IncludeGreedy)
            {
                mine.Add(Checked(target, greedy[j]));
            }
            for (int k = 0; k < o.SamplesPerPrompt; k++)
            {
                mine.Add(Checked(target, sampled[j * o.SamplesPerPrompt + k]));
            }
            samples.AddRange(mine);

            CounterfactualTrajectory[] chosen = counterfactuals.Where(c => c.TargetId == target.Id && c.Trajectory.Prompt == prompt).ToArray();
            if (chosen.Length == 0)
            {
                continue;
            }
            var rejected = mine.Where(s => s.Leakage.Leaks).Select(s => (s.Trajectory, Source: "sampled"))
                .DistinctBy(r => r.Trajectory).ToList();
            if (rejected.Count == 0 && o.UseOriginalLeaks)
            {
                rejected = originalLeaks.Where(s => s.TargetId == target.Id && s.Trajectory.Prompt == prompt)
                    .Select(s => (s.Trajectory, Source: "original")).DistinctBy(r => r.Trajectory).ToList();
            }
            for (int r = 0; r < rejected.Count && r < o.MaxPairsPerPrompt; r++)
            {
                CounterfactualTrajectory c = chosen[r % chosen.Length];
                pairs.Add(new PreferencePair(target.Id, prompt, c.Trajectory, rejected[r].Trajectory, round, c.Strategy, rejected[r].Source));
            }
        }
        logger.LogInformation("Round {Round}: {Samples} samples, {Leaking} leaking, {Pairs} pairs ({Original} against original leaks)",
            round, samples.Count, samples.Count(s => s.Leakage.Leaks), pairs.Count, pairs.Count(p => p.RejectedSource == "original"));
        return new PairBuildResult(pairs, samples);
    }

    private SampledTrajectory Checked(ForgetTarget target, (ReasoningTrajectory Trajectory, bool IsWellFormed) s) =>
        new(target.Id, s.Trajectory, leakage.Check(s.Trajectory, target), s.IsWellFormed);
}

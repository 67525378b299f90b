using Cipo.Leakage;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// Default <see cref="IForgetAuditor"/>, the loop's stopping rule unless the host replaces it (<c>AddCipo</c> registers it
/// with TryAdd): leakage rate of greedy and sampled trajectories on every forget prompt, the reasoning trace and the answer
/// reported separately, per target; retain accuracy of greedy answers. Options <c>Cipo:Audit</c>. The full audit (probe
/// groups, knowledge, membership, relearning) is Cipo.Evaluation's <c>ForgetAuditSuite</c>, which never stops the loop
/// unless registered as the <see cref="IForgetAuditor"/> on purpose.
/// </summary>
internal sealed class LeakageAuditor(
    ILeakageDetector leakage,
    IOptions<LeakageAuditorOptions> options,
    IOptions<CipoOptions> cipoOptions) : IForgetAuditor
{
    /// <summary>Audits as round 0 (the audit before unlearning): the same samples on every call.</summary>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken) =>
        AuditAsync(policy, targets, retain, round: 0, cancellationToken);

    /// <summary>Samples with a seed of the run's seed and the round only, so a resumed run audits as an uninterrupted one.</summary>
    public async Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round,
        CancellationToken cancellationToken)
    {
        LeakageAuditorOptions o = options.Value;
        var jobs = targets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))).ToArray();
        var checks = new List<(string TargetId, LeakageCheck Check)>();
        if (o.IncludeGreedy && jobs.Length > 0)
        {
            var greedy = await policy.SampleAsync(jobs.Select(j => j.Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), cancellationToken).ConfigureAwait(false);
            checks.AddRange(greedy.Select((g, i) => (jobs[i].Target.Id, leakage.Check(g.Trajectory, jobs[i].Target))));
        }
        if (o.SamplesPerPrompt > 0 && jobs.Length > 0)
        {
            long seed = AuditSeeds.ForRound(cipoOptions.Value.Seed + o.SeedOffset, round);
            var sampled = await policy.SampleAsync(jobs.SelectMany(j => Enumerable.Repeat(j.Prompt, o.SamplesPerPrompt)).ToArray(),
                new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: seed), cancellationToken).ConfigureAwait(false);
            checks.AddRange(sampled.Select((s, i) => (jobs[i / o.SamplesPerPrompt].Target.Id, leakage.Check(s.Trajectory, jobs[i / o.SamplesPerPrompt].Target))));
        }

        double retainAccuracy = double.NaN;
        RetainExample[] scored = retain.Where(r => r.HasTrajectory).ToArray();
        if (scored.Length > 0)
        {
            var answers = await policy.SampleAsync(scored.Select(r => r.Prompt).ToArray(), new SamplingSettings(o.MaxNewTokens), cancellationToken).ConfigureAwait(false);
            retainAccuracy = answers.Select((a, i) => IsCorrect(a.Trajectory.Answer, scored[i].Answer) ? 1.0 : 0.0).Average();
        }

        return AuditReport.FromChecks(checks) with { RetainAccuracy = retainAccuracy };
    }

    /// <summary>An answer is correct when its normalised text contains the expected answer's as whole words.</summary>
    internal static bool IsCorrect(string answer, string expected) => TextNormalizer.ContainsPhrase(answer, expected);
}

using Cipo;

namespace Cipo.Samples.CustomGenerator;

/// <summary>
/// A host-written audit with an extra check a compliance team asked for: besides leakage (trace and answer, greedy, by
/// the registered ILeakageDetector), the share of forget answers that openly decline ("abstention_rate"). The loop
/// stops on <see cref="AuditReport.LeakageRate"/> as with the default auditor.
/// </summary>
internal sealed class AbstentionAuditor(ILeakageDetector detector) : IForgetAuditor
{
    private static readonly string[] Declines = ["can't share", "cannot determine", "don't know", "not known", "no reliable"];

    public async Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain,
        CancellationToken cancellationToken)
    {
        (ForgetTarget Target, string Prompt)[] probes = targets.SelectMany(t => t.Prompts.Select(p => (t, p))).ToArray();
        var samples = await policy.SampleAsync(probes.Select(p => p.Prompt).ToArray(), new SamplingSettings(MaxNewTokens: 160), cancellationToken);
        var checks = probes.Zip(samples, (probe, sample) => (probe.Target, Check: detector.Check(sample.Trajectory, probe.Target), sample.Trajectory)).ToArray();

        // The leakage rates overall and per target, as the default auditor computes them; then the team's own metric.
        double abstentions = checks.Length == 0 ? 0
            : checks.Count(c => Declines.Any(d => c.Trajectory.Answer.Contains(d, StringComparison.OrdinalIgnoreCase))) / (double)checks.Length;
        return AuditReport.FromChecks(checks.Select(c => (c.Target.Id, c.Check)).ToArray()) with
        {
            Metrics = new Dictionary<string, double> { ["abstention_rate"] = abstentions },
        };
    }
}

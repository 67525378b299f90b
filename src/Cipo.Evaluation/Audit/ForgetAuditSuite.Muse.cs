using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.Probes;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Audit;

// MUSE's memorisation metrics: how much of a passage the model still continues verbatim, and how much of what it says
// it still knows.
public sealed partial class ForgetAuditSuite
{
    /// <summary>
    /// MUSE's VerbMem and KnowMem alone (<see cref="AuditMetricNames.VerbMemForget"/> and its siblings) on
    /// <paramref name="probes"/>, decoded greedily up to the suite's <see cref="ForgetAuditSuiteOptions.MaxNewTokens"/>: what a
    /// setting that needs no full audit adds to its leakage audit.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> AuditMemorizationAsync(IPolicyModel policy, IReadOnlyList<AuditProbe> probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(probes);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (probes.Count > 0)
        {
            await MemorizationAsync(policy, probes, new SamplingSettings(_options.MaxNewTokens), metrics, cancellationToken).ConfigureAwait(false);
        }
        return metrics;
    }

    /// <summary>
    /// One greedy call over every memorisation probe; VerbMem and KnowMem (ROUGE-L F1 means) per group, for each
    /// (kind, group) that has probes.
    /// </summary>
    /// <remarks>
    /// The candidate is the policy's final answer, not its trace: MUSE compares what the model returns, and ROUGE-L F1's
    /// precision would otherwise measure the length of the reasoning rather than memorisation. A passage reproduced in the
    /// trace is what the verbatim leakage rule catches on the forget probes (<c>leak/*/*/trace</c>).
    /// </remarks>
    private static async Task MemorizationAsync(IPolicyModel policy, IReadOnlyList<AuditProbe> probes, SamplingSettings greedy,
        Dictionary<string, double> metrics, CancellationToken ct)
    {
        var outputs = await policy.SampleAsync(probes.Select(p => p.Prompt).ToArray(), greedy, ct).ConfigureAwait(false);
        (ProbeKind Kind, string Group, string Name)[] cells =
        [
            (ProbeKind.VerbMem, ProbeGroups.Forget, M.VerbMemForget),
            (ProbeKind.VerbMem, ProbeGroups.Retain, M.VerbMemRetain),
            (ProbeKind.KnowMem, ProbeGroups.Forget, M.KnowMemForget),
            (ProbeKind.KnowMem, ProbeGroups.Retain, M.KnowMemRetain),
        ];
        foreach ((ProbeKind kind, string group, string name) in cells)
        {
            int[] members = Enumerable.Range(0, probes.Count).Where(i => probes[i].Kind == kind && probes[i].EffectiveGroup == group).ToArray();
            if (members.Length == 0)
            {
                continue;
            }
            string[] references = members.Select(i => probes[i].ExpectedAnswer ?? "").ToArray();
            string[] answers = members.Select(i => outputs[i].Trajectory.Answer).ToArray();
            metrics[name] = kind == ProbeKind.VerbMem ? VerbMem.Compute(references, answers) : KnowMem.Compute(references, answers);
        }
    }
}

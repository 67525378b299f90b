using Cipo.Evaluation.Probes;

namespace Cipo.Evaluation.Audit;

/// <summary>
/// A stopping-rule <see cref="IForgetAuditor"/> that audits a fixed probe set instead of the loop's own targets: leakage
/// (greedy and k samples, k = the suite's <see cref="ForgetAuditSuiteOptions.K"/>) and utility accuracy, no scoring. Give
/// it validation probes — questions the unlearning never trained on and the report never shows — so an iterative method
/// stops when the knowledge is gone from phrasings it did not see, not when its own training prompts look clean.
/// </summary>
/// <param name="suite">The suite that runs the audit.</param>
/// <param name="probes">The probes (forget and utility; holdout, member and control prompts are not used).</param>
public sealed class ProbeSetAuditor(ForgetAuditSuite suite, AuditProbeSet probes) : IForgetAuditor
{
    private readonly ForgetAuditSuite _suite = suite ?? throw new ArgumentNullException(nameof(suite));

    /// <summary>The probes audited.</summary>
    public AuditProbeSet Probes { get; } = probes ?? throw new ArgumentNullException(nameof(probes));

    /// <inheritdoc />
    /// <remarks>The loop's targets and retain examples are ignored: the probes stand for them.</remarks>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain,
        CancellationToken cancellationToken) =>
        _suite.AuditLeakageAsync(policy, Probes, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The loop's targets and retain examples are ignored: the probes stand for them. Seeded from the round.</remarks>
    public Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round,
        CancellationToken cancellationToken) =>
        _suite.AuditLeakageAsync(policy, Probes, round, cancellationToken);
}

namespace Cipo;

/// <summary>Stage 4: measures whether the targets are gone (from trace and answer) and what is kept; the loop's stopping rule.</summary>
public interface IForgetAuditor
{
    /// <summary>Audits <paramref name="policy"/> on the targets' prompts and the retain data.</summary>
    Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken);

    /// <summary>
    /// Audits <paramref name="policy"/> as the loop's audit of <paramref name="round"/> (0 before unlearning). An auditor
    /// that samples should seed from the round, so that a resumed run audits exactly as an uninterrupted one; the default
    /// implementation ignores the round.
    /// </summary>
    Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round, CancellationToken cancellationToken) =>
        AuditAsync(policy, targets, retain, cancellationToken);
}

namespace Cipo;

/// <summary>Stage 4: measures whether the targets are gone (from trace and answer) and what is kept; the loop's stopping rule.</summary>
public interface IForgetAuditor
{
    /// <summary>Audits <paramref name="policy"/> on the targets' prompts and the retain data.</summary>
    Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, CancellationToken cancellationToken);
}

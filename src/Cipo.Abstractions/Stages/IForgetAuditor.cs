namespace Cipo;

/// <summary>Stage 4: measures whether the targets are gone (from trace and answer) and what is kept; the loop's stopping rule.</summary>
/// <remarks>
/// The loop stops on the one implementation registered as this service: by default the leakage auditor of
/// Cipo.TorchSharp's <c>AddCipo</c> (the targets' own prompts, sampled); <c>UseChatClientJudgeAuditor</c> swaps in an
/// LLM judge; Cipo.Evaluation's <c>ProbeSetAuditor</c> stops on held-back validation probes. Cipo.Evaluation's
/// <c>ForgetAuditSuite</c> also implements it but is the full audit, resolved by its own type, and stops the loop only
/// when registered here on purpose. See docs/architecture.md, "Auditors".
/// </remarks>
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

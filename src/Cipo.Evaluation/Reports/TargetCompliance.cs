namespace Cipo.Evaluation.Reports;

/// <summary>The compliance record of one forget target. It names the target by id and hash only, never by its forbidden strings, so it may be shared.</summary>
/// <param name="TargetId">The target's id.</param>
/// <param name="ForbiddenStringsSha256">SHA-256 of the target's forbidden strings (<see cref="DataHash.OfForbiddenStrings"/>).</param>
/// <param name="ForbiddenStringCount">How many distinct forbidden strings it has.</param>
/// <param name="PromptCount">How many prompts it has.</param>
/// <param name="Before">Leakage before unlearning.</param>
/// <param name="After">Leakage after unlearning.</param>
/// <param name="Checks">The checks on <paramref name="After"/>.</param>
/// <param name="Pass">Whether it was measured after unlearning and every applied check holds.</param>
public sealed record TargetCompliance(
    string TargetId,
    string ForbiddenStringsSha256,
    int ForbiddenStringCount,
    int PromptCount,
    TargetLeakageFigures Before,
    TargetLeakageFigures After,
    IReadOnlyList<ComplianceCheck> Checks,
    bool Pass);

namespace Cipo;

/// <summary>The outcome of an unlearning run.</summary>
public sealed record UnlearningResult
{
    /// <summary>Audit of the model before the first round.</summary>
    public required AuditReport Before { get; init; }
    /// <summary>Audit after the last round.</summary>
    public required AuditReport After { get; init; }
    /// <summary>Every round, in order (resumed rounds included).</summary>
    public required IReadOnlyList<RoundReport> Rounds { get; init; }
    /// <summary>Whether leakage reached the threshold (else the loop stopped at the round limit).</summary>
    public bool Converged { get; init; }
    /// <summary>Weights fingerprint before.</summary>
    public string? WeightsHashBefore { get; init; }
    /// <summary>Weights fingerprint after.</summary>
    public string? WeightsHashAfter { get; init; }
}

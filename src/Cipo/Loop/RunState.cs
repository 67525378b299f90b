namespace Cipo.Loop;

/// <summary>The content of <c>state.json</c>: everything needed to resume a run after its last finished round.</summary>
internal sealed record RunState
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>SHA-256 of the request's targets and retain data; a run folder belongs to one request.</summary>
    public required string RequestHash { get; init; }

    /// <summary>0 when only the initial audit is done.</summary>
    public required int LastFinishedRound { get; init; }

    public required AuditReport Before { get; init; }

    public string? WeightsHashBefore { get; init; }

    /// <summary>The leaks of round 1 (the original model's).</summary>
    public IReadOnlyList<SampledTrajectory>? OriginalLeaks { get; init; }

    /// <summary>
    /// Every distinct leak sampled in the finished rounds, oldest first, stamped with its round: what the pair builder
    /// gets next round. Null in a state written before the pool existed; such a run resumes with <see cref="OriginalLeaks"/>.
    /// </summary>
    public IReadOnlyList<SampledTrajectory>? LeakPool { get; init; }

    public IReadOnlyList<CounterfactualTrajectory>? Counterfactuals { get; init; }

    public IReadOnlyList<RoundReport> Rounds { get; init; } = [];

    /// <summary>Per finished round: the weights hash after it and the SHA-256 of its files.</summary>
    public IReadOnlyList<RoundHashes> Hashes { get; init; } = [];
}

/// <summary>Fingerprints of a finished round.</summary>
internal sealed record RoundHashes(int Round, string? Weights, string PairsSha256, string MetricsSha256);

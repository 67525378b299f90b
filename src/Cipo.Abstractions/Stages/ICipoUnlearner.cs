namespace Cipo;

/// <summary>Runs CiPO end to end: counterfactuals → pairs → optimisation → audit, round after round.</summary>
public interface ICipoUnlearner
{
    /// <summary>Unlearns <paramref name="request"/>'s targets from <paramref name="policy"/>, checkpointing each round.</summary>
    Task<UnlearningResult> UnlearnAsync(IPolicyModel policy, UnlearningRequest request, IProgress<UnlearningProgress>? progress = null,
        CancellationToken cancellationToken = default);
}

/// <summary>What to forget and what to keep.</summary>
public sealed record UnlearningRequest
{
    /// <summary>The knowledge to forget.</summary>
    public required IReadOnlyList<ForgetTarget> Targets { get; init; }

    /// <summary>The knowledge to keep.</summary>
    public IReadOnlyList<RetainExample> Retain { get; init; } = [];

    /// <summary>
    /// Folder for round checkpoints (model, pairs, metrics) and the run report; a run finding finished rounds there resumes
    /// after the last one. <see langword="null"/>: no checkpoints.
    /// </summary>
    public string? RunFolder { get; init; }
}

/// <summary>Progress of an unlearning run.</summary>
/// <param name="Round">Current round (1-based; 0 before the first).</param>
/// <param name="MaxRounds">Most rounds.</param>
/// <param name="Stage">The running stage, one of <see cref="UnlearningStages"/>.</param>
/// <param name="Message">A line for people.</param>
public sealed record UnlearningProgress(int Round, int MaxRounds, string Stage, string Message)
{
    /// <summary>The optimizer's step when this reports one (stage <see cref="UnlearningStages.Optimize"/>); otherwise <see langword="null"/>.</summary>
    public OptimizationProgress? Optimization { get; init; }
}

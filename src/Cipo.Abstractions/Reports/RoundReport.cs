namespace Cipo;

/// <summary>One round of the loop.</summary>
public sealed record RoundReport
{
    /// <summary>1-based round number.</summary>
    public required int Round { get; init; }
    /// <summary>Counterfactuals generated.</summary>
    public int Counterfactuals { get; init; }
    /// <summary>Of those, how many the model itself wrote.</summary>
    public int CounterfactualsFromModel { get; init; }
    /// <summary>Of those, how many came from templates.</summary>
    public int CounterfactualsFromTemplates { get; init; }
    /// <summary>Of those, how many came from a teacher.</summary>
    public int CounterfactualsFromTeacher { get; init; }
    /// <summary>
    /// The round's counterfactuals by strategy (<see cref="CounterfactualTrajectory.Strategy"/>: the
    /// <see cref="CounterfactualStrategies"/> names, <c>template</c> included, or a teacher's strategy), so the share of
    /// each strategy is visible per round. Empty when no counterfactual was kept.
    /// </summary>
    public IReadOnlyDictionary<string, int> CounterfactualsByStrategy { get; init; } = new Dictionary<string, int>();
    /// <summary>Pairs optimised.</summary>
    public int Pairs { get; init; }
    /// <summary>Of those, pairs whose rejected side was the original model's leak (<see cref="PreferencePair.RejectedSource"/> <c>original</c>).</summary>
    public int PairsFromOriginalLeaks { get; init; }
    /// <summary>
    /// Of those, pairs whose rejected side came from the leak pool, the leaks of earlier rounds that the current policy
    /// still prefers most (<see cref="PreferencePair.RejectedSource"/> <c>pool</c>).
    /// </summary>
    public int PairsFromLeakPool { get; init; }
    /// <summary>The optimisation.</summary>
    public required OptimizationReport Optimization { get; init; }
    /// <summary>The audit after the round.</summary>
    public required AuditReport Audit { get; init; }
    /// <summary>Wall time.</summary>
    public TimeSpan Duration { get; init; }
}

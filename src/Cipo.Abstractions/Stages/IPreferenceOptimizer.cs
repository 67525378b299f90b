namespace Cipo;

/// <summary>Stage 3: updates the policy so it prefers the chosen trajectories, while retain data keeps the rest.</summary>
public interface IPreferenceOptimizer
{
    /// <summary>Optimises <paramref name="policy"/> in place on <paramref name="pairs"/> and <paramref name="retain"/>.</summary>
    Task<OptimizationReport> OptimizeAsync(IPolicyModel policy, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<RetainExample> retain,
        int round, IProgress<OptimizationProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>Progress of an optimisation round.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Metrics">The latest step's metrics (TRL names: <c>loss</c>, <c>rewards/margins</c>, …).</param>
public sealed record OptimizationProgress(int Step, int TotalSteps, IReadOnlyDictionary<string, double> Metrics);

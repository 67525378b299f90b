namespace Cipo;

/// <summary>What an optimisation round did.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="History">Metrics of every step, TRL names (<c>loss</c>, <c>rewards/chosen</c>, <c>rewards/margins</c>, <c>retain/nll</c>, …).</param>
public sealed record OptimizationReport(int Steps, IReadOnlyList<IReadOnlyDictionary<string, double>> History)
{
    /// <summary>The last step's metrics, or empty.</summary>
    public IReadOnlyDictionary<string, double> Final => History.Count > 0 ? History[^1] : new Dictionary<string, double>();
}

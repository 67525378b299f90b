namespace Cipo.Evaluation.Reports;

/// <summary>
/// How every method's hyper-parameters were chosen: each method ran the same number of grid points on the tuning
/// world, each point audited on that world's validation probes only; the point with the highest validation
/// <see cref="Criterion"/> was then run on every world and audited on the test probes (the report's rows).
/// </summary>
/// <param name="Criterion">The metric the choice maximises (<c>score/forget_utility_hm</c> on the validation probes).</param>
/// <param name="World">The world whose validation probes decided the choice.</param>
/// <param name="Runs">Every grid point of every method with its validation metrics.</param>
/// <param name="Choices">Per method, the chosen point.</param>
public sealed record BenchmarkTuning(string Criterion, int World, IReadOnlyList<TuningRun> Runs, IReadOnlyList<TuningChoice> Choices);

/// <summary>One grid point of one method on the tuning world, audited on the validation probes.</summary>
/// <param name="Method">The method.</param>
/// <param name="Point">The point's id within the method's grid (<c>p1</c>, <c>p2</c>, …, in grid order).</param>
/// <param name="Settings">The hyper-parameters of the point (<c>learning_rate</c>, <c>beta</c>, <c>retain_weight</c>, …).</param>
/// <param name="Validation">The validation audit's metrics (never the test probes').</param>
/// <param name="WallSeconds">Wall time of unlearning and the validation audit.</param>
public sealed record TuningRun(string Method, string Point, IReadOnlyDictionary<string, double> Settings, IReadOnlyDictionary<string, double> Validation,
    double WallSeconds)
{
    /// <summary>The key of what decided this run's numbers; a stored run is reused only under the same key.</summary>
    public string? RunKey { get; init; }

    /// <summary>The validation value of <paramref name="metric"/>, or NaN.</summary>
    public double ValueOf(string metric) => Validation.TryGetValue(metric, out double v) ? v : double.NaN;
}

/// <summary>The point chosen for a method: the highest validation criterion, the earlier point on a tie.</summary>
/// <param name="Method">The method.</param>
/// <param name="Point">The chosen point's id.</param>
/// <param name="Settings">Its hyper-parameters.</param>
/// <param name="Score">Its validation criterion.</param>
public sealed record TuningChoice(string Method, string Point, IReadOnlyDictionary<string, double> Settings, double Score)
{
    /// <summary>
    /// Chooses, per method in order of first appearance, the run with the highest <paramref name="criterion"/> (NaN counts
    /// as the lowest; a tie keeps the earlier point). Only <see cref="TuningRun.Validation"/> is read.
    /// </summary>
    public static IReadOnlyList<TuningChoice> Choose(IReadOnlyList<TuningRun> runs, string criterion)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrEmpty(criterion);
        return runs.GroupBy(r => r.Method, StringComparer.Ordinal).Select(g =>
        {
            TuningRun best = g.First();
            foreach (TuningRun r in g.Skip(1))
            {
                double score = r.ValueOf(criterion), bestScore = best.ValueOf(criterion);
                if (!double.IsNaN(score) && (double.IsNaN(bestScore) || score > bestScore))
                {
                    best = r;
                }
            }
            return new TuningChoice(best.Method, best.Point, best.Settings, best.ValueOf(criterion));
        }).ToArray();
    }
}

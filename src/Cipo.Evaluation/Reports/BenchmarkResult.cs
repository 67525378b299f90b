namespace Cipo.Evaluation.Reports;

/// <summary>One benchmark run: one method on one world (or a reference row: the base or the retrained model of a world).</summary>
/// <param name="Method">The method's name (e.g. <c>cipo</c>, <c>grad-ascent</c>, <c>npo</c>).</param>
/// <param name="Seed">The seed of the run: the world's seed (methods run with their world's seed).</param>
/// <param name="Metrics">The audit metrics after unlearning (<see cref="Audit.AuditMetricNames"/>).</param>
/// <param name="WallSeconds">Wall time of the run in seconds.</param>
public sealed record BenchmarkResult(string Method, int Seed, IReadOnlyDictionary<string, double> Metrics, double WallSeconds)
{
    /// <summary>
    /// The key of what decided this run's numbers (method, options, world, models, code); a stored run is reused only
    /// under the same key. Null for reference rows.
    /// </summary>
    public string? RunKey { get; init; }

    /// <summary>The value of <paramref name="name"/> (<see cref="MetricCatalog.WallSeconds"/> gives <see cref="WallSeconds"/>), or NaN.</summary>
    public double ValueOf(string name) =>
        name == MetricCatalog.WallSeconds ? WallSeconds : Metrics.TryGetValue(name, out double v) ? v : double.NaN;
}

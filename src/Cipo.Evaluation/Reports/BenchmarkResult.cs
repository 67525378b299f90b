namespace Cipo.Evaluation.Reports;

/// <summary>One benchmark run: one method on the shared world and targets with one seed.</summary>
/// <param name="Method">The method's name (e.g. <c>cipo</c>, <c>grad-ascent</c>, <c>npo</c>).</param>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Metrics">The audit metrics after unlearning (<see cref="Audit.AuditMetricNames"/>).</param>
/// <param name="WallSeconds">Wall time of the run in seconds.</param>
public sealed record BenchmarkResult(string Method, int Seed, IReadOnlyDictionary<string, double> Metrics, double WallSeconds)
{
    /// <summary>The value of <paramref name="name"/> (<see cref="MetricCatalog.WallSeconds"/> gives <see cref="WallSeconds"/>), or NaN.</summary>
    public double ValueOf(string name) =>
        name == MetricCatalog.WallSeconds ? WallSeconds : Metrics.TryGetValue(name, out double v) ? v : double.NaN;
}

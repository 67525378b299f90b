namespace Cipo.Evaluation.Reports;

/// <summary>One method's results over its seeds.</summary>
/// <param name="Method">The method.</param>
/// <param name="Seeds">The seeds it ran with, in order.</param>
/// <param name="Metrics">Per metric name (and <see cref="MetricCatalog.WallSeconds"/>): mean and sample standard deviation over the seeds.</param>
public sealed record BenchmarkMethodSummary(string Method, IReadOnlyList<int> Seeds, IReadOnlyDictionary<string, SampleStatistics> Metrics)
{
    /// <summary>Summaries per method, in order of first appearance in <paramref name="results"/>.</summary>
    public static IReadOnlyList<BenchmarkMethodSummary> From(IReadOnlyList<BenchmarkResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results
            .GroupBy(r => r.Method, StringComparer.Ordinal)
            .Select(group =>
            {
                BenchmarkResult[] runs = group.ToArray();
                IEnumerable<string> names = runs.SelectMany(r => r.Metrics.Keys).Append(MetricCatalog.WallSeconds).Distinct(StringComparer.Ordinal);
                var metrics = new SortedDictionary<string, SampleStatistics>(StringComparer.Ordinal);
                foreach (string name in names)
                {
                    metrics[name] = SampleStatistics.Of(runs.Select(r => r.ValueOf(name)));
                }
                return new BenchmarkMethodSummary(group.Key, runs.Select(r => r.Seed).ToArray(), metrics);
            })
            .ToArray();
    }

    /// <summary>The statistics of <paramref name="name"/>, or empty ones when no run measured it.</summary>
    public SampleStatistics Of(string name) =>
        Metrics.TryGetValue(name, out SampleStatistics? stats) ? stats : new SampleStatistics(0, double.NaN, double.NaN, Seeds.Count);
}

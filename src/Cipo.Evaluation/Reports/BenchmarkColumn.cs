using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>A column of the headline and runs tables: one metric, or two shown side by side as <c>a / b</c> (trace / answer).</summary>
/// <param name="Header">The column's header.</param>
/// <param name="Metrics">The metric, or the two metrics.</param>
internal sealed record BenchmarkColumn(string Header, IReadOnlyList<MetricInfo> Metrics)
{
    private static readonly string All = AuditMetricNames.All;

    /// <summary>The headline columns, in order (a column no result has is left out of a table).</summary>
    public static readonly IReadOnlyList<BenchmarkColumn> Headline =
    [
        Of(AuditMetricNames.ForgetUtilityScore),
        Pair("Greedy leak trace / answer", AuditMetricNames.GreedyTraceLeak(All), AuditMetricNames.GreedyAnswerLeak(All)),
        Pair("leak@k trace / answer", AuditMetricNames.LeakAtKTrace(All), AuditMetricNames.LeakAtKAnswer(All)),
        Of(MetricCatalog.ExcessOverRetrained(AuditMetricNames.GreedyLeak(All))),
        Of(MetricCatalog.ExcessOverRetrained(AuditMetricNames.LeakAtK(All))),
        Of(AuditMetricNames.RetainAccuracy),
        Of(AuditMetricNames.NeighbourAccuracy),
        Of(AuditMetricNames.ParaphraseAccuracy),
        Of(AuditMetricNames.ArithmeticAccuracy),
        Of(AuditMetricNames.DegenerateRate),
        Of(AuditMetricNames.ForgetQuality),
        Of(AuditMetricNames.PrivLeak),
        Of(AuditMetricNames.RelearnLeakAfter),
        Of(MetricCatalog.ComplianceTargetPassRate),
    ];

    /// <summary>The single metric of a one-metric column, else null (pairs are never marked best).</summary>
    public MetricInfo? Single => Metrics.Count == 1 ? Metrics[0] : null;

    /// <summary>Whether any result has one of the column's metrics.</summary>
    public bool IsIn(IReadOnlyList<BenchmarkResult> results) =>
        results.Any(r => Metrics.Any(m => m.Name == MetricCatalog.WallSeconds || r.Metrics.ContainsKey(m.Name)));

    /// <summary>A method's cell: mean ± std over its worlds.</summary>
    public string Cell(BenchmarkMethodSummary summary) => string.Join(" / ", Metrics.Select(m => BenchmarkCells.Stat(m, summary.Of(m.Name))));

    /// <summary>One run's cell.</summary>
    public string Cell(BenchmarkResult run) => string.Join(" / ", Metrics.Select(m => BenchmarkCells.Value(m, run.ValueOf(m.Name))));

    private static BenchmarkColumn Of(string name)
    {
        MetricInfo info = MetricCatalog.Describe(name);
        return new BenchmarkColumn(info.DisplayName, [info]);
    }

    private static BenchmarkColumn Pair(string header, string first, string second) =>
        new(header, [MetricCatalog.Describe(first), MetricCatalog.Describe(second)]);
}

namespace Cipo.Evaluation.Reports;

/// <summary>How a report shows one metric.</summary>
/// <param name="Name">The metric's name (an <see cref="Audit.AuditMetricNames"/> name or any other).</param>
/// <param name="DisplayName">A short label for tables and charts.</param>
/// <param name="Direction">Which way the metric improves.</param>
/// <param name="IsRate">Whether the value is a rate in [0, 1] (formatted with three decimals and charted on a shared axis).</param>
public sealed record MetricInfo(string Name, string DisplayName, MetricDirection Direction, bool IsRate)
{
    /// <summary>Compares two values of this metric: positive when <paramref name="candidate"/> is better than <paramref name="reference"/>, negative when worse, 0 when equal, neutral or either is NaN.</summary>
    public int CompareQuality(double candidate, double reference)
    {
        if (double.IsNaN(candidate) || double.IsNaN(reference))
        {
            return 0;
        }
        return Direction switch
        {
            MetricDirection.HigherIsBetter => candidate.CompareTo(reference),
            MetricDirection.LowerIsBetter => reference.CompareTo(candidate),
            MetricDirection.CloserToHalfIsBetter => Math.Abs(reference - 0.5).CompareTo(Math.Abs(candidate - 0.5)),
            MetricDirection.CloserToZeroIsBetter => Math.Abs(reference).CompareTo(Math.Abs(candidate)),
            _ => 0,
        };
    }
}

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Names of the fact-update figures a benchmark row carries besides the audit's (issue 16): the accuracy on the updated
/// people's facts that the update leaves as they were. The audit's own fact-update metrics are
/// <see cref="Audit.AuditMetricNames.UpdateAdoptionGreedy"/> and its siblings.
/// </summary>
public static class FactUpdateFigures
{
    /// <summary>Greedy accuracy on the updated people's unchanged facts (their other questions, answers unchanged).</summary>
    public const string UnchangedAccuracy = "update/unchanged/accuracy";

    /// <summary>How many unchanged-fact probes <see cref="UnchangedAccuracy"/> is measured on.</summary>
    public const string UnchangedProbes = "update/unchanged/probes";

    /// <summary>Whether <paramref name="metrics"/> are a fact-update run's (they hold the adoption figure).</summary>
    public static bool IsFactUpdate(IEnumerable<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Contains(Audit.AuditMetricNames.UpdateAdoptionGreedy, StringComparer.Ordinal);
    }
}

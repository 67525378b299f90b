namespace Cipo.Evaluation.Reports;

/// <summary>
/// Optional per-target leakage metrics in <see cref="AuditReport.Metrics"/>, in the style of <see cref="Audit.AuditMetricNames"/>.
/// An auditor that measures greedy and leak@k leakage per target writes them; the compliance summary reads them when present.
/// </summary>
public static class TargetMetricNames
{
    /// <summary>Greedy decoding: share of the target's probes leaking in trace or answer.</summary>
    public static string GreedyLeak(string targetId) => $"leak/target/{targetId}/greedy/any";

    /// <summary>leak@k: share of the target's probes where any of k samples leaks in trace or answer.</summary>
    public static string LeakAtK(string targetId) => $"leak/target/{targetId}/at_k/any";
}

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

    /// <summary>Outputs drawn on the target's probes (greedy and k samples each).</summary>
    public static string Samples(string targetId) => $"leak/target/{targetId}/outputs/count";

    /// <summary>Of those, how many leak in trace or answer.</summary>
    public static string Leaked(string targetId) => $"leak/target/{targetId}/outputs/leaked";

    /// <summary>Outputs drawn on the target's control prompts (the same questions about never-seen subjects).</summary>
    public static string ControlSamples(string targetId) => $"leak/target/{targetId}/control/count";

    /// <summary>Of those, how many hold one of the target's forbidden strings anyway: the chance floor's numerator.</summary>
    public static string ControlLeaked(string targetId) => $"leak/target/{targetId}/control/leaked";
}

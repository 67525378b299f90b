namespace Cipo.Evaluation.Reports;

/// <summary>One target's leakage in one audit. NaN marks what the audit did not measure.</summary>
/// <param name="Samples">Samples the audit drew on the target's prompts (0 when it drew none).</param>
/// <param name="Greedy">Greedy-decoding leak rate (trace or answer): <see cref="TargetMetricNames.GreedyLeak"/>, else the larger of the sampled trace and answer rates.</param>
/// <param name="GreedyIsSampledProxy">Whether <paramref name="Greedy"/> is the sampled proxy, not a greedy measurement.</param>
/// <param name="LeakAtK">leak@k rate (<see cref="TargetMetricNames.LeakAtK"/>), or NaN.</param>
/// <param name="Trace">Sampled trace leakage rate, or NaN.</param>
/// <param name="Answer">Sampled answer leakage rate, or NaN.</param>
public sealed record TargetLeakageFigures(int Samples, double Greedy, bool GreedyIsSampledProxy, double LeakAtK, double Trace, double Answer)
{
    /// <summary>Whether the audit measured the target at all.</summary>
    public bool Measured => !double.IsNaN(Greedy) || !double.IsNaN(LeakAtK);

    /// <summary>
    /// The target's leak rate against its chance floor (<see cref="Metrics.ChanceFloor"/>), when the audit asked its
    /// control prompts; null otherwise.
    /// </summary>
    public Metrics.ChanceFloorVerdict? ChanceFloor { get; init; }

    /// <summary>Reads the target's figures from <paramref name="audit"/>.</summary>
    /// <param name="audit">The audit.</param>
    /// <param name="targetId">The target.</param>
    /// <param name="thresholds">The chance floor's margin and z; <see cref="ComplianceThresholds.Default"/> when null.</param>
    public static TargetLeakageFigures From(AuditReport audit, string targetId, ComplianceThresholds? thresholds = null)
    {
        TargetLeakageFigures figures = Read(audit, targetId);
        thresholds ??= ComplianceThresholds.Default;
        double Count(string name) => audit.Metrics.TryGetValue(name, out double v) ? v : 0;
        int samples = (int)Count(TargetMetricNames.Samples(targetId)), controls = (int)Count(TargetMetricNames.ControlSamples(targetId));
        if (samples < 1 || controls < 1)
        {
            return figures;
        }
        return figures with
        {
            ChanceFloor = Metrics.ChanceFloor.Evaluate((int)Count(TargetMetricNames.Leaked(targetId)), samples,
                (int)Count(TargetMetricNames.ControlLeaked(targetId)), controls, thresholds.ChanceFloorMargin, thresholds.ChanceFloorZ),
        };
    }

    private static TargetLeakageFigures Read(AuditReport audit, string targetId)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(targetId);
        audit.PerTarget.TryGetValue(targetId, out TargetLeakage? sampled);
        double trace = sampled is null || sampled.Samples == 0 ? double.NaN : sampled.TraceLeakageRate;
        double answer = sampled is null || sampled.Samples == 0 ? double.NaN : sampled.AnswerLeakageRate;
        double leakAtK = audit.Metrics.TryGetValue(TargetMetricNames.LeakAtK(targetId), out double k) ? k : double.NaN;
        if (audit.Metrics.TryGetValue(TargetMetricNames.GreedyLeak(targetId), out double greedy))
        {
            return new TargetLeakageFigures(sampled?.Samples ?? 0, greedy, false, leakAtK, trace, answer);
        }
        // Without a greedy measurement the sampled rates stand in; the larger one is a lower bound of "trace or answer".
        double proxy = double.IsNaN(trace) ? answer : double.IsNaN(answer) ? trace : Math.Max(trace, answer);
        return new TargetLeakageFigures(sampled?.Samples ?? 0, proxy, !double.IsNaN(proxy), leakAtK, trace, answer);
    }
}

using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Reports;

/// <summary>Builds a <see cref="ComplianceSummary"/> from the audits before and after unlearning, following <see cref="ComplianceSummary.RuleText"/>.</summary>
public static class ComplianceEvaluator
{
    /// <summary>Check name of the greedy leak rate.</summary>
    public const string GreedyLeakCheck = "greedy leak";
    /// <summary>Check name of the leak@k rate.</summary>
    public const string LeakAtKCheck = "leak@k";
    /// <summary>Check name of retain accuracy after over before.</summary>
    public const string RetainRatioCheck = "retain accuracy ratio";
    /// <summary>Check name of the chance-floor rule: leak rate minus chance floor, at most the tolerance.</summary>
    public const string ChanceFloorCheck = "leak over chance floor";

    /// <summary>Name of the robustness check on the leak after the relearning attack.</summary>
    public const string RelearnCheck = "leak after relearning attack";

    /// <summary>Name of the robustness check on the hidden-state probe.</summary>
    public const string ProbeCheck = "hidden-state probe over chance";

    /// <summary>Evaluates every target of <paramref name="targets"/> and the overall checks.</summary>
    /// <param name="before">Audit before unlearning.</param>
    /// <param name="after">Audit after unlearning.</param>
    /// <param name="targets">The forget set (only ids, prompt counts and hashes of the forbidden strings are kept).</param>
    /// <param name="hashes">Model and data fingerprints to record.</param>
    /// <param name="thresholds">Limits; <see cref="ComplianceThresholds.Default"/> when null.</param>
    public static ComplianceSummary Evaluate(
        AuditReport before, AuditReport after, IReadOnlyList<ForgetTarget> targets, ComplianceHashes hashes, ComplianceThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(hashes);
        thresholds ??= ComplianceThresholds.Default;

        var perTarget = new List<TargetCompliance>(targets.Count);
        foreach (ForgetTarget target in targets)
        {
            TargetLeakageFigures figuresAfter = TargetLeakageFigures.From(after, target.Id, thresholds);
            ComplianceCheck[] checks = figuresAfter.ChanceFloor is { } floor
                ? [FloorCheck(floor)]
                :
                [
                    ComplianceCheck.AtMost(GreedyLeakCheck, figuresAfter.Greedy, thresholds.MaxGreedyLeak),
                    ComplianceCheck.AtMost(LeakAtKCheck, figuresAfter.LeakAtK, thresholds.MaxLeakAtK),
                ];
            perTarget.Add(new TargetCompliance(
                target.Id,
                DataHash.OfForbiddenStrings(target.ForbiddenStrings),
                target.ForbiddenStrings.Distinct(StringComparer.Ordinal).Count(),
                target.Prompts.Count,
                TargetLeakageFigures.From(before, target.Id, thresholds),
                figuresAfter,
                checks,
                // An unmeasured target cannot be certified, whatever its checks say.
                figuresAfter.Measured && checks.All(c => c.Passed != false)));
        }

        // With chance floors the absolute leak limits give way to the pooled floor rule over every target's outputs.
        ChanceFloorVerdict? pooled = PooledFloor(after, targets, thresholds);
        ComplianceCheck[] overall = pooled is not null
            ?
            [
                FloorCheck(pooled),
                ComplianceCheck.AtLeast(RetainRatioCheck, RetainRatio(before, after), thresholds.MinRetainAccuracyRatio),
            ]
            :
            [
                ComplianceCheck.AtMost(GreedyLeakCheck, OverallGreedyLeak(after), thresholds.MaxGreedyLeak),
                ComplianceCheck.AtMost(LeakAtKCheck, Metric(after, AuditMetricNames.LeakAtK(AuditMetricNames.All)), thresholds.MaxLeakAtK),
                ComplianceCheck.AtLeast(RetainRatioCheck, RetainRatio(before, after), thresholds.MinRetainAccuracyRatio),
            ];
        ComplianceCheck[] robustness = Robustness(after, thresholds);
        return new ComplianceSummary
        {
            Thresholds = thresholds,
            Hashes = hashes,
            Targets = perTarget,
            Checks = overall,
            Pass = perTarget.All(t => t.Pass) && overall.All(c => c.Passed != false),
            RobustnessChecks = robustness,
            PassesRobustness = robustness.Any(c => c.Passed is not null) ? robustness.All(c => c.Passed != false) : null,
        };
    }

    /// <summary>The chance-floor check of a verdict: the excess over the floor at most the tolerance.</summary>
    public static ComplianceCheck FloorCheck(ChanceFloorVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new ComplianceCheck(ChanceFloorCheck, verdict.Excess, "<=", verdict.Tolerance, verdict.Pass);
    }

    /// <summary>The chance-floor verdict over all of <paramref name="targets"/>' outputs and control outputs together, or null without control outputs.</summary>
    public static ChanceFloorVerdict? PooledFloor(AuditReport audit, IEnumerable<ForgetTarget> targets, ComplianceThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(targets);
        thresholds ??= ComplianceThresholds.Default;
        int leaked = 0, samples = 0, controlLeaked = 0, controls = 0;
        foreach (ForgetTarget t in targets)
        {
            int c = (int)Metric0(audit, TargetMetricNames.ControlSamples(t.Id));
            if (c == 0) continue;
            controls += c;
            controlLeaked += (int)Metric0(audit, TargetMetricNames.ControlLeaked(t.Id));
            samples += (int)Metric0(audit, TargetMetricNames.Samples(t.Id));
            leaked += (int)Metric0(audit, TargetMetricNames.Leaked(t.Id));
        }
        return controls == 0 || samples == 0 ? null
            : ChanceFloor.Evaluate(leaked, samples, controlLeaked, controls, thresholds.ChanceFloorMargin, thresholds.ChanceFloorZ);
    }

    private static double Metric0(AuditReport audit, string name) => audit.Metrics.TryGetValue(name, out double v) ? v : 0;

    /// <summary>Retain accuracy after over before, or NaN when either is unmeasured or before is 0.</summary>
    public static double RetainRatio(AuditReport before, AuditReport after)
    {
        double b = RetainAccuracy(before), a = RetainAccuracy(after);
        return double.IsNaN(a) || double.IsNaN(b) || b <= 0 ? double.NaN : a / b;
    }

    /// <summary>The audit's retain accuracy: <see cref="AuditMetricNames.RetainAccuracy"/>, else <see cref="AuditReport.RetainAccuracy"/>.</summary>
    public static double RetainAccuracy(AuditReport audit)
    {
        double probes = Metric(audit, AuditMetricNames.RetainAccuracy);
        return double.IsNaN(probes) ? audit.RetainAccuracy : probes;
    }

    /// <summary>The audit's overall greedy leak rate: <c>leak/all/greedy/any</c>, else <see cref="AuditReport.LeakageRate"/> (0 forget samples: NaN).</summary>
    public static double OverallGreedyLeak(AuditReport audit)
    {
        double greedy = Metric(audit, AuditMetricNames.GreedyLeak(AuditMetricNames.All));
        if (!double.IsNaN(greedy))
        {
            return greedy;
        }
        return audit.ForgetSamples > 0 ? audit.LeakageRate : double.NaN;
    }

    private static double Metric(AuditReport audit, string name) => audit.Metrics.TryGetValue(name, out double v) ? v : double.NaN;

    /// <summary>The robustness checks of <paramref name="after"/> that it measured (relearning attack, hidden-state probe).</summary>
    private static ComplianceCheck[] Robustness(AuditReport after, ComplianceThresholds thresholds)
    {
        var checks = new List<ComplianceCheck>();
        if (after.Metrics.TryGetValue(AuditMetricNames.RelearnLeakAfter, out double relearn))
        {
            checks.Add(ComplianceCheck.AtMost(RelearnCheck, relearn, thresholds.MaxRelearnLeak));
        }
        if (after.Metrics.TryGetValue(AuditMetricNames.ProbeBestAccuracy, out double probe)
            && after.Metrics.TryGetValue(AuditMetricNames.ProbeChance, out double chance))
        {
            checks.Add(ComplianceCheck.AtMost(ProbeCheck, probe - chance, thresholds.ProbeMargin));
        }
        return checks.ToArray();
    }
}

using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>Renders report.md: summary, before/after per metric, leakage per round, weight changes, compliance, charts.</summary>
internal static class UnlearningReportMarkdown
{
    /// <summary>Rows of the weight change table.</summary>
    public const int TopWeightChanges = 20;

    public static string Render(UnlearningReportDocument doc, IReadOnlyList<ChartOutcome> charts)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(doc.Title).Append("\n\n");
        md.Append("- Created (UTC): ").Append(doc.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Tool version: ").Append(doc.ToolVersion).Append('\n');
        md.Append("- Model: ").Append(ReportText.Code(doc.ModelPath));
        if (!string.IsNullOrEmpty(doc.ModelName)) { md.Append(" (").Append(doc.ModelName).Append(')'); }
        md.Append('\n');
        md.Append("- Method: ").Append(ReportText.Code(doc.Method)).Append('\n');
        md.Append("- Rounds: ").Append(doc.Rounds.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Compliance: ").Append(doc.Compliance is null ? "not checked" : doc.Compliance.Pass ? "**PASS**" : "**FAIL**").Append("\n\n");

        Summary(md, doc);
        Settings(md, doc);
        BeforeAfter(md, doc);
        Rounds(md, doc);
        WeightChanges(md, doc);
        Compliance(md, doc.Compliance);
        Charts(md, charts);
        return md.ToString();
    }

    private static void Summary(StringBuilder md, UnlearningReportDocument doc)
    {
        md.Append("## Summary\n\n");
        foreach (string name in new[] { MetricCatalog.LeakageRate, AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All), MetricCatalog.RetainAccuracy })
        {
            double before = MetricCatalog.ValueOf(doc.Before, name), after = MetricCatalog.ValueOf(doc.After, name);
            if (double.IsNaN(before) && double.IsNaN(after)) { continue; }
            MetricInfo info = MetricCatalog.Describe(name);
            md.Append("- ").Append(info.DisplayName).Append(": ").Append(ReportText.Value(before, info.IsRate))
              .Append(" → ").Append(ReportText.Value(after, info.IsRate));
            string trend = ReportText.Trend(info, before, after);
            if (trend.Length > 0) { md.Append(" (").Append(trend).Append(')'); }
            md.Append('\n');
        }
        md.Append('\n');
    }

    private static void Settings(StringBuilder md, UnlearningReportDocument doc)
    {
        if (doc.MethodSettings.Count == 0) { return; }
        md.Append("## Method settings\n\n");
        ReportText.Table(md, ["Setting", "Value"],
            doc.MethodSettings.Select(kv => (IReadOnlyList<string>)[ReportText.Cell(kv.Key), ReportText.Cell(kv.Value)]));
    }

    private static void BeforeAfter(StringBuilder md, UnlearningReportDocument doc)
    {
        md.Append("## Before and after\n\n");
        md.Append("Change is after − before; the arrow says which way the metric moved and whether that is better.\n\n");
        string[] topLevel = [MetricCatalog.TraceLeakageRate, MetricCatalog.AnswerLeakageRate, MetricCatalog.LeakageRate, MetricCatalog.RetainAccuracy, MetricCatalog.ForgetSamples];
        IEnumerable<string> names = topLevel.Concat(doc.Before.Metrics.Keys.Union(doc.After.Metrics.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        ReportText.Table(md, ["Metric", "Name", "Before", "After", "Change", "Trend"], names.Select(name =>
        {
            MetricInfo info = MetricCatalog.Describe(name);
            double before = MetricCatalog.ValueOf(doc.Before, name), after = MetricCatalog.ValueOf(doc.After, name);
            return (IReadOnlyList<string>)
            [
                ReportText.Cell(info.DisplayName), ReportText.Code(name), ReportText.Value(before, info.IsRate), ReportText.Value(after, info.IsRate),
                ReportText.Delta(after - before), ReportText.Trend(info, before, after),
            ];
        }));
    }

    private static void Rounds(StringBuilder md, UnlearningReportDocument doc)
    {
        md.Append("## Leakage per round\n\n");
        if (doc.Rounds.Count == 0)
        {
            md.Append("No rounds were run.\n\n");
            return;
        }
        string greedy = AuditMetricNames.GreedyLeak(AuditMetricNames.All), atK = AuditMetricNames.LeakAtK(AuditMetricNames.All);
        IEnumerable<IReadOnlyList<string>> rows = new[] { Row("before", null, doc.Before) }
            .Concat(doc.Rounds.Select(r => Row(r.Round.ToString(CultureInfo.InvariantCulture), r, r.Audit)));
        ReportText.Table(md, ["Round", "Pairs", "Steps", "Trace", "Answer", "Any", "Greedy", "leak@k", "Retain accuracy", "Duration (s)"], rows);

        IReadOnlyList<string> Row(string label, RoundReport? round, AuditReport audit) =>
        [
            label,
            round?.Pairs.ToString(CultureInfo.InvariantCulture) ?? "",
            round?.Optimization.Steps.ToString(CultureInfo.InvariantCulture) ?? "",
            ReportText.Value(audit.TraceLeakageRate), ReportText.Value(audit.AnswerLeakageRate), ReportText.Value(audit.LeakageRate),
            ReportText.Value(MetricCatalog.ValueOf(audit, greedy)), ReportText.Value(MetricCatalog.ValueOf(audit, atK)),
            ReportText.Value(audit.RetainAccuracy),
            round is null ? "" : round.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
        ];
    }

    private static void WeightChanges(StringBuilder md, UnlearningReportDocument doc)
    {
        md.Append("## Where the model changed\n\n");
        if (doc.WeightChanges.Count == 0)
        {
            md.Append("Not measured.\n\n");
            return;
        }
        List<WeightChange> top = doc.WeightChanges
            .OrderByDescending(w => double.IsNaN(w.RelativeChange) ? double.NegativeInfinity : w.RelativeChange)
            .ThenBy(w => w.Layer).ThenBy(w => w.Module, StringComparer.Ordinal)
            .Take(TopWeightChanges).ToList();
        md.Append(ReportText.Invariant($"Relative change ‖W_after − W_before‖_F / ‖W_before‖_F; the {top.Count} largest of {doc.WeightChanges.Count} modules.\n\n"));
        ReportText.Table(md, ["Rank", "Layer", "Module", "Relative change"], top.Select((w, i) => (IReadOnlyList<string>)
        [
            (i + 1).ToString(CultureInfo.InvariantCulture),
            w.Layer >= 0 ? w.Layer.ToString(CultureInfo.InvariantCulture) : WeightChangeGrid.OutsideLayersLabel,
            ReportText.Code(w.Module),
            ReportText.Significant(w.RelativeChange),
        ]));
    }

    private static void Compliance(StringBuilder md, ComplianceSummary? compliance)
    {
        md.Append("## Compliance\n\n");
        if (compliance is null)
        {
            md.Append("Not checked.\n\n");
            return;
        }
        md.Append("Verdict: ").Append(compliance.Pass ? "**PASS**" : "**FAIL**").Append("\n\n");
        md.Append("Rule: ").Append(compliance.Rule).Append("\n\n");
        ComplianceThresholds t = compliance.Thresholds;
        ReportText.Table(md, ["Limit", "Value"],
        [
            ["Max greedy leak", ReportText.Value(t.MaxGreedyLeak)],
            ["Max leak@k", ReportText.Value(t.MaxLeakAtK)],
            ["Min retain accuracy ratio (after / before)", ReportText.Value(t.MinRetainAccuracyRatio)],
        ]);
        ReportText.Table(md, ["Fingerprint", "SHA-256"],
        [
            ["Model before", ReportText.Code(compliance.Hashes.ModelBefore)],
            ["Model after", ReportText.Code(compliance.Hashes.ModelAfter)],
            ["Forget data", ReportText.Code(compliance.Hashes.ForgetData)],
            ["Retain data", ReportText.Code(compliance.Hashes.RetainData)],
        ]);
        md.Append("### Overall checks\n\n");
        ReportText.Table(md, ["Check", "Value", "Limit", "Result"], compliance.Checks.Select(c => (IReadOnlyList<string>)
            [c.Name, ReportText.Value(c.Value), c.Comparison + " " + ReportText.Value(c.Threshold), Verdict(c.Passed)]));

        md.Append("### Robustness\n\n");
        md.Append("Verdict: ").Append(compliance.PassesRobustness switch { true => "**PASS**", false => "**FAIL**", null => "not measured" }).Append("\n\n");
        md.Append("Rule: ").Append(compliance.RobustnessRule).Append("\n\n");
        if (compliance.RobustnessChecks.Count > 0)
        {
            ReportText.Table(md, ["Check", "Value", "Limit", "Result"], compliance.RobustnessChecks.Select(c => (IReadOnlyList<string>)
                [c.Name, ReportText.Value(c.Value), c.Comparison + " " + ReportText.Value(c.Threshold), Verdict(c.Passed)]));
        }

        md.Append("### Per target\n\n");
        md.Append("Targets are named by id and by the SHA-256 of their forbidden strings, never by the strings. Values are before → after.\n\n");
        ReportText.Table(md, ["Target", "Forbidden strings SHA-256", "Strings", "Prompts", "Greedy leak", "leak@k", "Trace", "Answer", "Result"],
            compliance.Targets.Select(target => (IReadOnlyList<string>)
            [
                ReportText.Code(target.TargetId),
                ReportText.Code(target.ForbiddenStringsSha256),
                target.ForbiddenStringCount.ToString(CultureInfo.InvariantCulture),
                target.PromptCount.ToString(CultureInfo.InvariantCulture),
                Pair(target.Before.Greedy, target.After.Greedy, target.Before.GreedyIsSampledProxy, target.After.GreedyIsSampledProxy),
                Pair(target.Before.LeakAtK, target.After.LeakAtK),
                Pair(target.Before.Trace, target.After.Trace),
                Pair(target.Before.Answer, target.After.Answer),
                !target.After.Measured ? "**FAIL** (not audited)" : target.Pass ? "PASS" : "**FAIL**",
            ]));
        if (compliance.Targets.Any(t => t.Before.GreedyIsSampledProxy || t.After.GreedyIsSampledProxy))
        {
            md.Append("† No greedy measurement: the larger of the target's sampled trace and answer leakage rates stands in.\n\n");
        }
    }

    private static void Charts(StringBuilder md, IReadOnlyList<ChartOutcome> charts)
    {
        md.Append("## Charts\n\n");
        foreach (ChartOutcome chart in charts)
        {
            md.Append(chart.Written
                ? $"![{chart.Caption}]({chart.RelativePath})\n\n"
                : $"- {chart.Caption}: not drawn ({chart.Reason}).\n\n");
        }
    }

    private static string Pair(double before, double after, bool beforeIsProxy = false, bool afterIsProxy = false) =>
        ReportText.Value(before) + (beforeIsProxy ? "†" : "") + " → " + ReportText.Value(after) + (afterIsProxy ? "†" : "");

    private static string Verdict(bool? passed) => passed switch { true => "PASS", false => "**FAIL**", null => ReportText.NotAvailable };
}

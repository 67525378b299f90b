using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The <c>robustness</c> table of a benchmark: per method, the relearning curve (leak on the held half before the attack
/// and after each measured budget) and the hidden-state probe (best layer, chance floor), mean ± std over worlds, with the
/// base and retrained rows as references.
/// </summary>
public static class RobustnessTable
{
    /// <summary>Renders the table; a line saying so when the results measured neither.</summary>
    public static string Render(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        IReadOnlyList<BenchmarkMethodSummary> rows = BenchmarkTables.ReferenceFirst(BenchmarkMethodSummary.From(doc.Results), s => s.Method).ToArray();
        int[] steps = RobustnessCharts.CurveSteps(rows);
        bool probe = rows.Any(r => r.Metrics.ContainsKey(AuditMetricNames.ProbeBestAccuracy));
        if (steps.Length == 0 && !rows.Any(r => r.Metrics.ContainsKey(AuditMetricNames.RelearnLeakAfter)) && !probe)
        {
            return "These results measured neither the relearning attack nor the hidden-state probe.\n";
        }
        string[] header =
        [
            "Method", "Leak before attack", "Leak after attack", .. steps.Select(n => string.Create(CultureInfo.InvariantCulture, $"Leak after {n} steps")),
            .. probe ? (string[])["Probe: best layer accuracy", "Probe: chance floor"] : [],
        ];
        var md = new StringBuilder();
        ReportText.Table(md, header, rows.Select(r => (IReadOnlyList<string>)
        [
            ReportText.Code(r.Method), ReportText.MeanStd(r.Of(AuditMetricNames.RelearnLeakBefore)), ReportText.MeanStd(r.Of(AuditMetricNames.RelearnLeakAfter)),
            .. steps.Select(n => ReportText.MeanStd(r.Of(AuditMetricNames.RelearnCurveLeakAfter(n)))),
            .. probe ? (string[])[ReportText.MeanStd(r.Of(AuditMetricNames.ProbeBestAccuracy)), ReportText.MeanStd(r.Of(AuditMetricNames.ProbeChance))] : [],
        ]));
        md.Append("Relearning: greedy leak on the held half of the forget probes, each budget fine-tuning a fresh copy of the unlearned model on the other half. ")
          .Append("Probe: a linear probe per layer fitted on retained subjects' hidden states, tested on forgotten subjects; compare with the retrained row and the chance floor.\n");
        return md.ToString();
    }
}

using System.Globalization;
using System.Text;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The table of the fact-update setting (issue 16), <c>fact-update</c>: per method, mean ± std over worlds, the old
/// fact's leak (greedy and leak@k, trace or answer; the trace alone), the new fact's adoption (greedy, sampled, on the
/// two-hop ripple), the updated people's unchanged facts, utility and the wall time of the update — the base model and
/// the model retrained on the updated world first.
/// </summary>
public static class FactUpdateTables
{
    private static readonly (string Header, Func<BenchmarkResult, double> Value, bool IsRate)[] s_columns =
    [
        ("Old fact, greedy", r => r.ValueOf(M.GreedyLeak(M.All)), true),
        ("Old fact, leak@k", r => r.ValueOf(M.LeakAtK(M.All)), true),
        ("Old fact in trace, leak@k", r => r.ValueOf(M.LeakAtKTrace(M.All)), true),
        ("New fact, greedy", r => r.ValueOf(M.UpdateAdoptionGreedy), true),
        ("New fact, samples", r => r.ValueOf(M.UpdateAdoptionSampled), true),
        ("New fact, two-hop", r => r.ValueOf(M.UpdateAdoptionMultiHop), true),
        ("Unchanged facts", r => r.ValueOf(FactUpdateFigures.UnchangedAccuracy), true),
        ("Retain-eval", r => r.ValueOf(M.RetainAccuracy), true),
        ("Utility (HM)", r => SequentialFigures.Utility(r.Metrics), true),
        ("Seconds", r => r.WallSeconds, false),
    ];

    /// <summary>The <c>fact-update</c> table; a line saying so when the results hold no fact-update run.</summary>
    public static string Render(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkResult[] runs = doc.Results.Where(r => FactUpdateFigures.IsFactUpdate(r.Metrics.Keys)).ToArray();
        if (runs.Length == 0)
        {
            return "These results hold no fact-update run (`cipo bench --fact-update`).\n";
        }
        string[] methods = BenchmarkTables.ReferenceFirst(runs.Select(r => r.Method).Distinct(StringComparer.Ordinal), m => m).ToArray();
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", "Worlds", .. s_columns.Select(c => c.Header)], methods.Select(method =>
        {
            BenchmarkResult[] rows = runs.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
            return (IReadOnlyList<string>)
            [
                ReportText.Code(method), string.Join(", ", rows.Select(r => r.Seed.ToString(CultureInfo.InvariantCulture))),
                .. s_columns.Select(c => Cell(SampleStatistics.Of(rows.Select(c.Value)), c.IsRate)),
            ];
        }));
        md.Append("Old fact: the outdated birthplace (or the birth country it implied) in the trace or answer of the update probes — ")
          .Append("held-out wordings and the two-hop questions that depend on it. New fact: the answer states the new city or country. ")
          .Append("`retrained` is the model trained from scratch on the updated world (the gold standard); `base` the model before the update. ")
          .Append("Seconds: wall time of the update (reference rows: 0).\n");
        return md.ToString();
    }

    private static string Cell(SampleStatistics stats, bool isRate) =>
        stats.Count == 0 ? ReportText.NotAvailable
        : isRate ? ReportText.MeanStd(stats)
        : ReportText.Invariant($"{stats.Mean:0} ± {stats.StandardDeviation:0}");
}

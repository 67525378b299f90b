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
    private static readonly SettingColumn[] s_columns =
    [
        new("Old fact, greedy", r => r.ValueOf(M.GreedyLeak(M.All))),
        new("Old fact, leak@k", r => r.ValueOf(M.LeakAtK(M.All))),
        new("Old fact in trace, leak@k", r => r.ValueOf(M.LeakAtKTrace(M.All))),
        new("New fact, greedy", r => r.ValueOf(M.UpdateAdoptionGreedy)),
        new("New fact, samples", r => r.ValueOf(M.UpdateAdoptionSampled)),
        new("New fact, two-hop", r => r.ValueOf(M.UpdateAdoptionMultiHop)),
        new("Unchanged facts", r => r.ValueOf(FactUpdateFigures.UnchangedAccuracy)),
        new("Retain-eval", r => r.ValueOf(M.RetainAccuracy)),
        new("Utility (HM)", r => SequentialFigures.Utility(r.Metrics)),
        new("Seconds", r => r.WallSeconds, IsRate: false),
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
        var md = new StringBuilder();
        SettingTable.Append(md, runs, s_columns);
        md.Append("Old fact: the outdated birthplace (or the birth country it implied) in the trace or answer of the update probes — ")
          .Append("held-out wordings and the two-hop questions that depend on it. New fact: the answer states the new city or country. ")
          .Append("`retrained` is the model trained from scratch on the updated world (the gold standard); `base` the model before the update. ")
          .Append("Seconds: wall time of the update (reference rows: 0).\n");
        return md.ToString();
    }

}

using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The tables of the sequential setting (many requests over time, issue 16): <c>sequential</c> (leak@k of the earlier
/// requests' targets and utility after each request, per method, mean ± std over worlds, the base and retrained models as
/// references) and <c>sequential-goals</c> (after the last request: earlier targets' leak@k at most 2 points above the
/// retrained model, utility at least 95% of the base model's).
/// </summary>
public static class SequentialTables
{
    /// <summary>Largest excess of the earlier targets' leak@k over the retrained model after the last request (2 points).</summary>
    public const double MaxExcessLeakAtK = 0.02;

    /// <summary>Smallest utility after the last request as a share of the base model's (95%).</summary>
    public const double MinUtilityRatio = 0.95;

    /// <summary>The <c>sequential</c> table; a line saying so when the results hold no sequential run.</summary>
    public static string Render(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        IReadOnlyList<BenchmarkMethodSummary> rows = Ordered(doc);
        int[] requests = SequentialFigures.RequestsIn(rows.SelectMany(r => r.Metrics.Keys));
        if (requests.Length == 0)
        {
            return NoRuns;
        }
        string[] header = ["After request", .. rows.Select(r => ReportText.Code(r.Method))];
        var md = new StringBuilder();
        md.Append("leak@k (trace or answer) on the test probes of the earlier requests' targets:\n\n");
        ReportText.Table(md, header, requests.Where(r => r > 1).Select(r => (IReadOnlyList<string>)
        [
            r.ToString(CultureInfo.InvariantCulture), .. rows.Select(s => ReportText.MeanStd(s.Of(SequentialFigures.EarlierLeakAtK(r)))),
        ]));
        md.Append("\nUtility (harmonic mean of retain, neighbour, paraphrased-retain and arithmetic accuracy):\n\n");
        ReportText.Table(md, header, requests.Select(r => (IReadOnlyList<string>)
        [
            r.ToString(CultureInfo.InvariantCulture), .. rows.Select(s => ReportText.MeanStd(s.Of(SequentialFigures.UtilityAfter(r)))),
        ]));
        md.Append("Each method unlearns the requests one after another on one copy of the base model; each request stops on its own people's ")
          .Append("validation probes. The base and retrained rows are those models audited once, their figures taken over the same targets.\n");
        return md.ToString();
    }

    /// <summary>The <c>sequential-goals</c> table; a line saying so when the results hold no sequential run.</summary>
    public static string Goals(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        string[] methods = doc.Results.Select(r => r.Method).Distinct(StringComparer.Ordinal)
            .Where(m => m is not BenchmarkTables.BaseRow and not BenchmarkTables.RetrainedRow).ToArray();
        int last = SequentialFigures.RequestsIn(doc.Results.SelectMany(r => r.Metrics.Keys)).DefaultIfEmpty(0).Max();
        if (last < 2 || methods.Length == 0)
        {
            return NoRuns;
        }
        BenchmarkResult? Row(string method, int world) => doc.Results.FirstOrDefault(r => r.Method == method && r.Seed == world);
        var md = new StringBuilder();
        ReportText.Table(md,
        [
            "Method", "Worlds", ReportText.Invariant($"Earlier targets' leak@k after request {last}"), "Retrained model's",
            ReportText.Invariant($"Excess (≤ {MaxExcessLeakAtK * 100:0} points)"), ReportText.Invariant($"Utility / base (≥ {MinUtilityRatio * 100:0}%)"), "Verdict",
        ], methods.Select(method =>
        {
            BenchmarkResult[] runs = doc.Results.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
            double[] leak = runs.Select(r => SettingTable.Metric(r, SequentialFigures.EarlierLeakAtK(last))).ToArray();
            double[] gold = runs.Select(r => SettingTable.Metric(Row(BenchmarkTables.RetrainedRow, r.Seed), SequentialFigures.EarlierLeakAtK(last))).ToArray();
            double[] ratio = runs.Select(r => SettingTable.Metric(r, SequentialFigures.UtilityAfter(last)) / SettingTable.Metric(Row(BenchmarkTables.BaseRow, r.Seed), SequentialFigures.UtilityAfter(last))).ToArray();
            double excess = SettingTable.Mean(leak.Zip(gold, (a, b) => a - b));
            double utility = SettingTable.Mean(ratio);
            string verdict = double.IsNaN(excess) || double.IsNaN(utility) ? "not measured"
                : excess <= MaxExcessLeakAtK && utility >= MinUtilityRatio ? "met"
                : "**missed**" + (excess > MaxExcessLeakAtK ? " (leak)" : "") + (utility < MinUtilityRatio ? " (utility)" : "");
            return (IReadOnlyList<string>)
            [
                ReportText.Code(method), string.Join(", ", runs.Select(r => r.Seed)), ReportText.MeanStd(SampleStatistics.Of(leak)),
                ReportText.MeanStd(SampleStatistics.Of(gold)), double.IsNaN(excess) ? ReportText.NotAvailable : ReportText.Delta(excess),
                double.IsNaN(utility) ? ReportText.NotAvailable : (utility * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%", verdict,
            ];
        }));
        md.Append("Excess and utility ratio are per world against the same world's retrained and base models, then averaged over the worlds.\n");
        return md.ToString();
    }

    private const string NoRuns = "These results hold no sequential run (`cipo bench --sequential N`).\n";

    private static IReadOnlyList<BenchmarkMethodSummary> Ordered(BenchmarkReportDocument doc) =>
        BenchmarkTables.ReferenceFirst(BenchmarkMethodSummary.From(doc.Results), s => s.Method).ToArray();
}

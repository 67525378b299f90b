using System.Globalization;
using System.Text;
using M = Cipo.Evaluation.Audit.AuditMetricNames;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The tables of the copyrighted-passage setting (issue 16, MUSE's setting on the embedded world): <c>passages</c> — per
/// method, mean ± std over worlds, MUSE's VerbMem and KnowMem on the forgotten and the retained passages, the verbatim
/// leak of the forget probes, MUSE's PrivLeak, retain-eval accuracy, utility and wall time, reference rows first — and
/// <c>passages-goals</c>, MUSE's criteria against the retrained and base models.
/// </summary>
public static class PassageTables
{
    /// <summary>
    /// Goal: VerbMem and KnowMem on the forgotten passages at most the retrained model's plus this (MUSE's "no verbatim
    /// memorisation" and "no knowledge memorisation", judged against the model never trained on them).
    /// </summary>
    public const double MaxExcessMemorization = 0.05;

    /// <summary>Goal: KnowMem on the retained passages at least this share of the base model's (MUSE's utility preservation).</summary>
    public const double MinRetainRatio = 0.95;

    /// <summary>
    /// Goal: |PrivLeak| at most this (MUSE's "no privacy leakage": the forgotten passages' membership AUC as the retrained
    /// model's; the mean over the worlds, as the other benchmarks' PrivLeak goal).
    /// </summary>
    public const double MaxPrivLeak = 0.10;

    private const string NoRuns = "These results hold no passage run (`cipo bench --passages`).\n";

    private static readonly SettingColumn[] s_columns =
    [
        new("VerbMem forget", r => r.ValueOf(M.VerbMemForget)),
        new("VerbMem retain", r => r.ValueOf(M.VerbMemRetain)),
        new("KnowMem forget", r => r.ValueOf(M.KnowMemForget)),
        new("KnowMem retain", r => r.ValueOf(M.KnowMemRetain)),
        new("PrivLeak", r => r.ValueOf(M.PrivLeak), Format: stats => BenchmarkCells.Stat(MetricCatalog.Describe(M.PrivLeak), stats)),
        new("Leak, greedy", r => r.ValueOf(M.GreedyLeak(M.All))),
        new("Leak@k", r => r.ValueOf(M.LeakAtK(M.All))),
        new("Retain-eval", r => r.ValueOf(M.RetainAccuracy)),
        new("Utility (HM)", r => SequentialFigures.Utility(r.Metrics)),
        new("Seconds", r => r.WallSeconds, IsRate: false),
    ];

    /// <summary>Whether <paramref name="metrics"/> are a passage run's (they hold VerbMem on the forgotten passages).</summary>
    public static bool IsPassageRun(IEnumerable<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Contains(M.VerbMemForget, StringComparer.Ordinal);
    }

    /// <summary>The <c>passages</c> table; a line saying so when the results hold no passage run.</summary>
    public static string Render(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkResult[] runs = doc.Results.Where(r => IsPassageRun(r.Metrics.Keys)).ToArray();
        if (runs.Length == 0)
        {
            return NoRuns;
        }
        var md = new StringBuilder();
        SettingTable.Append(md, runs, s_columns);
        md.Append("VerbMem (MUSE C1): mean ROUGE-L F1 of the greedy answer to a held-out continuation prompt against the passage's true continuation; ")
          .Append("KnowMem (MUSE C2): the same for held-out questions about the passage's details against the detail. ")
          .Append("Forget: the forgotten passages; retain: as many retained passages, never in any method's retain data. ")
          .Append("Leak: the forget probes (held-out continuation and detail questions of the forgotten passages) whose trace or answer reproduces ")
          .Append("any run of 8 words of the passage, its continuation or a detail. ")
          .Append("PrivLeak (MUSE C4): the Min-K% membership AUC of the forgotten passages' training questions against the same questions about holdout people's passages (never trained), ")
          .Append("relative to the retrained model's (0 is ideal; negative = over-unlearned). ")
          .Append("`retrained` is the model trained without the forgotten passages' questions (the gold standard); `base` the model before unlearning. ")
          .Append("Seconds: wall time of unlearning (reference rows: 0).\n");
        return md.ToString();
    }

    /// <summary>
    /// The <c>passages-goals</c> table: per method, VerbMem and KnowMem on the forgotten passages against the retrained
    /// model's (at most <see cref="MaxExcessMemorization"/> above it) and KnowMem on the retained passages against the base
    /// model's (at least <see cref="MinRetainRatio"/> of it), each per world then averaged over the worlds, and the verdict.
    /// </summary>
    public static string Goals(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkResult[] runs = doc.Results.Where(r => IsPassageRun(r.Metrics.Keys)).ToArray();
        string[] methods = runs.Select(r => r.Method).Distinct(StringComparer.Ordinal)
            .Where(m => m is not BenchmarkTables.BaseRow and not BenchmarkTables.RetrainedRow).ToArray();
        if (methods.Length == 0)
        {
            return NoRuns;
        }
        BenchmarkResult? Row(string method, int world) => runs.FirstOrDefault(r => r.Method == method && r.Seed == world);
        var md = new StringBuilder();
        ReportText.Table(md,
        [
            "Method", "Worlds", "VerbMem forget", "Retrained's", ReportText.Invariant($"Excess (≤ {MaxExcessMemorization:0.00})"),
            "KnowMem forget", "Retrained's", ReportText.Invariant($"Excess (≤ {MaxExcessMemorization:0.00})"),
            ReportText.Invariant($"KnowMem retain / base (≥ {MinRetainRatio * 100:0}%)"), ReportText.Invariant($"PrivLeak (|·| ≤ {MaxPrivLeak * 100:0}%)"), "Verdict",
        ], methods.Select(method =>
        {
            BenchmarkResult[] rows = runs.Where(r => r.Method == method).OrderBy(r => r.Seed).ToArray();
            double[] verbatim = rows.Select(r => SettingTable.Metric(r, M.VerbMemForget)).ToArray();
            double[] verbatimGold = rows.Select(r => SettingTable.Metric(Row(BenchmarkTables.RetrainedRow, r.Seed), M.VerbMemForget)).ToArray();
            double[] knowledge = rows.Select(r => SettingTable.Metric(r, M.KnowMemForget)).ToArray();
            double[] knowledgeGold = rows.Select(r => SettingTable.Metric(Row(BenchmarkTables.RetrainedRow, r.Seed), M.KnowMemForget)).ToArray();
            double[] ratio = rows.Select(r => SettingTable.Metric(r, M.KnowMemRetain) / SettingTable.Metric(Row(BenchmarkTables.BaseRow, r.Seed), M.KnowMemRetain)).ToArray();
            double verbatimExcess = SettingTable.Mean(verbatim.Zip(verbatimGold, (a, b) => a - b));
            double knowledgeExcess = SettingTable.Mean(knowledge.Zip(knowledgeGold, (a, b) => a - b));
            double retained = SettingTable.Mean(ratio);
            double privLeak = SettingTable.Mean(rows.Select(r => SettingTable.Metric(r, M.PrivLeak)));
            return (IReadOnlyList<string>)
            [
                ReportText.Code(method), string.Join(", ", rows.Select(r => r.Seed.ToString(CultureInfo.InvariantCulture))),
                ReportText.MeanStd(SampleStatistics.Of(verbatim)), ReportText.MeanStd(SampleStatistics.Of(verbatimGold)), Delta(verbatimExcess),
                ReportText.MeanStd(SampleStatistics.Of(knowledge)), ReportText.MeanStd(SampleStatistics.Of(knowledgeGold)), Delta(knowledgeExcess),
                double.IsNaN(retained) ? ReportText.NotAvailable : (retained * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
                BenchmarkCells.Value(MetricCatalog.Describe(M.PrivLeak), privLeak),
                Verdict(verbatimExcess, knowledgeExcess, retained, privLeak),
            ];
        }));
        md.Append(ReportText.Invariant($"Goal (MUSE's criteria on the embedded world): no verbatim memorisation — VerbMem on the forgotten passages at most the retrained model's + {MaxExcessMemorization:0.00}; "))
          .Append(ReportText.Invariant($"no knowledge memorisation — KnowMem on the forgotten passages at most the retrained model's + {MaxExcessMemorization:0.00}; "))
          .Append(ReportText.Invariant($"utility preserved — KnowMem on the retained passages at least {MinRetainRatio * 100:0}% of the base model's; "))
          .Append(ReportText.Invariant($"no privacy leakage — |PrivLeak| at most {MaxPrivLeak * 100:0}% (its mean over the worlds). "))
          .Append("Excess and ratio are per world against the same world's retrained and base models, then averaged over the worlds.\n");
        return md.ToString();
    }

    /// <summary>The verdict of the goals: "met", or "**missed**" with what missed; "not measured" when a figure is missing.</summary>
    internal static string Verdict(double verbatimExcess, double knowledgeExcess, double retainRatio, double privLeak)
    {
        if (double.IsNaN(verbatimExcess) || double.IsNaN(knowledgeExcess) || double.IsNaN(retainRatio) || double.IsNaN(privLeak))
        {
            return "not measured";
        }
        var missed = new List<string>();
        if (verbatimExcess > MaxExcessMemorization) missed.Add("verbatim");
        if (knowledgeExcess > MaxExcessMemorization) missed.Add("knowledge");
        if (retainRatio < MinRetainRatio) missed.Add("utility");
        if (Math.Abs(privLeak) > MaxPrivLeak) missed.Add("privacy");
        return missed.Count == 0 ? "met" : $"**missed** ({string.Join(", ", missed)})";
    }

    private static string Delta(double value) => double.IsNaN(value) ? ReportText.NotAvailable : ReportText.Delta(value);
}

using System.Globalization;
using System.Text;
using Cipo.Evaluation.Audit;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The Markdown tables of a benchmark's results (<see cref="BenchmarkReportDocument"/>), mean ± sample standard deviation
/// across worlds: the headline, every metric by section, the worlds and every run. results.md is made of them, and so
/// are the generated regions of README and docs (<see cref="UpdateRegions"/>), so a table in the docs is always what its
/// results file says. Rows: one per method in results order, the reference rows (<see cref="BaseRow"/>,
/// <see cref="RetrainedRow"/>) first. Every table is deterministic: the same document renders the same text.
/// </summary>
public static class BenchmarkTables
{
    /// <summary>Method name of the reference row of the base model (as <c>Cipo.Embedded.Bench.BenchmarkRunner.BaseRow</c> writes it).</summary>
    public const string BaseRow = "base (no unlearning)";

    /// <summary>Method name of the reference row of the retrained (gold) model (as <c>Cipo.Embedded.Bench.BenchmarkRunner.RetrainedRow</c> writes it).</summary>
    public const string RetrainedRow = "retrained (gold)";

    /// <summary>The tables a generated region may name: <c>headline</c>, <c>full</c>, <c>worlds</c>, <c>runs</c>, <c>goals</c> (CiPO's goals), <c>summary</c>.</summary>
    public static IReadOnlyList<string> TableNames { get; } = ["headline", "full", "worlds", "runs", "goals", "summary", "tuning", "pareto", "robustness", "comparison", "robustness-goals", "sequential", "sequential-goals", "fact-update", "passages", "passages-goals", "hazard", "hazard-goals"];

    /// <summary>The table <paramref name="table"/> (one of <see cref="TableNames"/>) of <paramref name="doc"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not one of <see cref="TableNames"/>.</exception>
    public static string Render(BenchmarkReportDocument doc, string table) => table switch
    {
        "headline" => Headline(doc),
        "full" => Full(doc),
        "worlds" => Worlds(doc),
        "runs" => Runs(doc),
        "goals" => BenchmarkGoals.Table(doc),
        "summary" => Summary(doc),
        "tuning" => TuningTables.Tuning(doc),
        "pareto" => TuningTables.Pareto(doc),
        "robustness" => RobustnessTable.Render(doc),
        "comparison" => VerdictTables.Comparison(doc),
        "robustness-goals" => VerdictTables.RobustnessGoals(doc),
        "sequential" => SequentialTables.Render(doc),
        "sequential-goals" => SequentialTables.Goals(doc),
        "fact-update" => FactUpdateTables.Render(doc),
        "passages" => PassageTables.Render(doc),
        "passages-goals" => PassageTables.Goals(doc),
        "hazard" => HazardTables.Render(doc),
        "hazard-goals" => HazardTables.Goals(doc),
        _ => throw new ArgumentException($"unknown table '{table}' (known: {string.Join(", ", TableNames)})", nameof(table)),
    };

    /// <summary>
    /// One row per method: forget-utility HM, greedy and leak@k leakage (trace / answer), their excess over the retrained
    /// model, retain-eval, neighbour-eval, paraphrase and fresh-arithmetic accuracy, degenerate forget outputs, forget
    /// quality, PrivLeak, leak after relearning and the share of targets passing compliance, with a note on how to read it.
    /// Columns no run measured are left out; <b>bold</b> marks the best method per column (reference rows aside).
    /// </summary>
    public static string Headline(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        IReadOnlyList<BenchmarkMethodSummary> rows = Summaries(doc);
        BenchmarkColumn[] columns = BenchmarkColumn.Headline.Where(c => c.IsIn(doc.Results)).ToArray();
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", "Worlds", .. columns.Select(c => c.Header)], rows.Select(row => (IReadOnlyList<string>)
        [
            ReportText.Code(row.Method), Seeds(row.Seeds), .. columns.Select(c => Marked(rows, row, c)),
        ]));
        md.Append("Mean ± sample standard deviation (n − 1) over the worlds; a method run on one world shows its value alone. ")
          .Append("Excess: minus the same world's retrained model (0 = no more leakage than a model that never saw the forget set). ")
          .Append("PrivLeak: the Min-K% membership AUC relative to the retrained model's (0 is ideal; negative = over-unlearned). ")
          .Append("**Bold**: the best method per column, reference rows aside.\n");
        return md.ToString();
    }

    /// <summary>
    /// Every metric the results contain, mean ± std per method, in sections: leakage by probe group, excess over the
    /// retrained model, knowledge, membership inference, relearning, utility (the in-sample retain accuracy labelled as
    /// such), composite scores and compliance, run, and "Other" for names the catalog does not know. A metric no run has
    /// is left out.
    /// </summary>
    public static string Full(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        IReadOnlyList<BenchmarkMethodSummary> rows = Summaries(doc);
        IEnumerable<string> names = doc.Results.SelectMany(r => r.Metrics.Keys);
        if (doc.Results.Count > 0)
        {
            names = names.Append(MetricCatalog.WallSeconds);
        }
        var md = new StringBuilder();
        foreach (BenchmarkSection section in BenchmarkSections.Of(names))
        {
            md.Append("### ").Append(section.Title).Append("\n\n");
            foreach (BenchmarkSectionTable table in section.Tables)
            {
                if (table.Caption is not null)
                {
                    md.Append("#### ").Append(table.Caption).Append("\n\n");
                }
                MetricInfo[] metrics = table.Metrics.Select(MetricCatalog.Describe).ToArray();
                ReportText.Table(md, ["Method", .. metrics.Select(m => m.DisplayName)], rows.Select(row => (IReadOnlyList<string>)
                [
                    ReportText.Code(row.Method), .. metrics.Select(m => BenchmarkCells.Stat(m, row.Of(m.Name))),
                ]));
            }
            if (section.Title == BenchmarkSections.Utility && section.Tables.Any(t => t.Metrics.Contains(AuditMetricNames.RetainInSampleAccuracy)))
            {
                md.Append("In-sample: the retain accuracy on the retain data the methods trained on; it is not held out and not part of model utility.\n\n");
            }
        }
        return Finish(md, "No runs in the results.");
    }

    /// <summary>
    /// One row per world: seed, people known / forgotten, targets, unlearning prompts, retain-train / retain-eval /
    /// neighbour-eval people, retain examples, validation forget probes, forget probes built → known to the base model per
    /// group, utility probes, members / holdout, relearning train / probes / dropped, base training and prepare seconds.
    /// </summary>
    public static string Worlds(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        IReadOnlyList<BenchmarkWorld> worlds = doc.Metadata.Worlds;
        if (worlds.Count == 0)
        {
            return "The results hold no per-world details.\n";
        }
        string[] groups = worlds.SelectMany(w => w.ForgetProbes.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(g => AuditMetricNames.LeakageGroups.Contains(g) ? AuditMetricNames.LeakageGroups.ToList().IndexOf(g) : int.MaxValue)
            .ThenBy(g => g, StringComparer.Ordinal).ToArray();
        var md = new StringBuilder();
        ReportText.Table(md,
        [
            "World", "People known / forgotten", "Targets", "Unlearning prompts", "Retain people train / eval / neighbour-eval",
            "Retain examples", "Validation forget probes", .. groups.Select(g => $"Forget probes {g}: built → known"),
            "Utility probes", "Members / holdout", "Relearning train / probes / dropped", "Base training (s)", "Prepare (s)",
        ], worlds.Select(w => (IReadOnlyList<string>)
        [
            Count(w.Seed), $"{Count(w.KnownPeople)} / {Count(w.ForgottenPeople)}", Count(w.Targets), Count(w.UnlearningPrompts),
            $"{Count(w.RetainTrainPeople)} / {Count(w.RetainEvalPeople)} / {Count(w.NeighbourEvalPeople)}",
            Count(w.RetainTrainExamples), Count(w.ValidationForgetProbes),
            .. groups.Select(g => w.ForgetProbes.TryGetValue(g, out BenchmarkProbeCount? p) ? $"{Count(p.Built)} → {Count(p.KnownToBase)}" : ReportText.NotAvailable),
            UtilityProbes(w.UtilityProbes), $"{Count(w.MemberProbes)} / {Count(w.HoldoutProbes)}",
            $"{Count(w.RelearnTrain)} / {Count(w.RelearnProbes)} / {Count(w.RelearnDropped)}",
            w.BaseTrainingSeconds is double seconds ? Seconds(seconds) : ReportText.NotAvailable, Seconds(w.PrepareSeconds),
        ]));
        return Finish(md, "");
    }

    /// <summary>How the results were made: the command line, when, the tool version, the worlds and the wall time of the whole run.</summary>
    public static string Summary(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkMetadata meta = doc.Metadata;
        var md = new StringBuilder();
        md.Append("- Command: ").Append(ReportText.Code(meta.CommandLine)).Append('\n');
        md.Append("- Created (UTC): ").Append(meta.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
          .Append(", tool version ").Append(meta.ToolVersion).Append('\n');
        md.Append("- Worlds: ").Append(meta.Worlds.Count == 0 ? ReportText.NotAvailable : string.Join(", ", meta.Worlds.Select(w => Count(w.Seed))))
          .Append("; runs: ").Append(Count(doc.Results.Count)).Append('\n');
        md.Append("- Wall time of the whole run: ").Append(meta.WallSeconds > 0
            ? $"{Seconds(meta.WallSeconds)} s ({(meta.WallSeconds / 60).ToString("0.0", CultureInfo.InvariantCulture)} min)"
            : ReportText.NotAvailable).Append('\n');
        return md.ToString();
    }

    /// <summary>Every run (method × world) with the headline columns and its wall time, the reference rows first.</summary>
    public static string Runs(BenchmarkReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        BenchmarkColumn[] columns = BenchmarkColumn.Headline.Where(c => c.IsIn(doc.Results)).ToArray();
        MetricInfo wall = MetricCatalog.Describe(MetricCatalog.WallSeconds);
        var md = new StringBuilder();
        ReportText.Table(md, ["Method", "World", .. columns.Select(c => c.Header), wall.DisplayName],
            ReferenceFirst(doc.Results, r => r.Method).Select(run => (IReadOnlyList<string>)
            [
                ReportText.Code(run.Method), Count(run.Seed), .. columns.Select(c => c.Cell(run)), BenchmarkCells.Value(wall, run.WallSeconds),
            ]));
        return Finish(md, "No runs in the results.");
    }

    /// <summary>
    /// The text of the Markdown file <paramref name="markdownPath"/> with the body of every generated region replaced by
    /// the table rendered from its results file, a blank line after the begin marker and before the end marker:
    /// <code>
    /// &lt;!-- cipo:generated results="RELATIVE/PATH/results.json" table="headline" --&gt;
    ///
    /// | Method | … |
    ///
    /// &lt;!-- cipo:generated:end --&gt;
    /// </code>
    /// The path is relative to the Markdown file's folder; the table is one of <see cref="TableNames"/>. Markers inside
    /// fenced code blocks are left alone. The file itself is not written; updating twice gives the same text.
    /// </summary>
    /// <param name="markdownPath">The Markdown file.</param>
    /// <exception cref="GeneratedRegionException">An unknown table or attribute, a missing or unreadable results file, or an unterminated region (the message names the file and line).</exception>
    /// <exception cref="IOException">The Markdown file cannot be read.</exception>
    public static string UpdateRegions(string markdownPath) => GeneratedRegions.Update(markdownPath);

    /// <summary>Per method (results order, reference rows first): mean and std over its worlds.</summary>
    private static IReadOnlyList<BenchmarkMethodSummary> Summaries(BenchmarkReportDocument doc) =>
        ReferenceFirst(doc.Results.Count > 0 ? BenchmarkMethodSummary.From(doc.Results) : doc.Summaries, s => s.Method).ToArray();

    /// <summary><paramref name="items"/> with the base row first and the retrained row second; the rest keep their order (OrderBy is stable).</summary>
    internal static IEnumerable<T> ReferenceFirst<T>(IEnumerable<T> items, Func<T, string> method) =>
        items.OrderBy(item => method(item) switch { BaseRow => 0, RetrainedRow => 1, _ => 2 });

    /// <summary>A headline cell, in bold when its mean is the best of the methods' (as shown, so ties are all marked).</summary>
    private static string Marked(IReadOnlyList<BenchmarkMethodSummary> rows, BenchmarkMethodSummary row, BenchmarkColumn column)
    {
        string cell = column.Cell(row);
        if (column.Single is not MetricInfo metric || metric.Direction == MetricDirection.Neutral || IsReference(row.Method))
        {
            return cell;
        }
        SampleStatistics mine = row.Of(metric.Name);
        SampleStatistics[] methods = rows.Where(r => !IsReference(r.Method)).Select(r => r.Of(metric.Name)).Where(s => s.Count > 0).ToArray();
        if (mine.Count == 0 || methods.Length < 2)
        {
            return cell;
        }
        string shown = BenchmarkCells.Mean(metric, mine.Mean);
        bool best = methods.All(other => BenchmarkCells.Mean(metric, other.Mean) == shown || metric.CompareQuality(mine.Mean, other.Mean) >= 0);
        return best ? $"**{cell}**" : cell;
    }

    private static bool IsReference(string method) => method is BaseRow or RetrainedRow;

    private static string Seeds(IReadOnlyList<int> seeds) => string.Join(", ", seeds.Select(Count));

    private static string UtilityProbes(IReadOnlyDictionary<string, int> probes) =>
        probes.Count == 0 ? "0"
            : $"{Count(probes.Values.Sum())} ({string.Join(", ", probes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{ReportText.Cell(p.Key)} {Count(p.Value)}"))})";

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double value) => double.IsFinite(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : ReportText.Value(value);

    /// <summary>The Markdown with one trailing newline, or <paramref name="empty"/> when nothing was written.</summary>
    private static string Finish(StringBuilder md, string empty) => md.Length == 0 ? empty + "\n" : md.ToString().TrimEnd('\n') + "\n";
}

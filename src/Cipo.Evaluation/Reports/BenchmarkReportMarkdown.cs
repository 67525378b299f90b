using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.Reports;

/// <summary>Renders results.md: the command line, one row per method with mean ± std per key metric (best marked), every run, the charts.</summary>
internal static class BenchmarkReportMarkdown
{
    public static string Render(BenchmarkReportDocument doc, IReadOnlyList<ChartOutcome> charts)
    {
        BenchmarkMetadata meta = doc.Metadata;
        var md = new StringBuilder();
        md.Append("# ").Append(meta.Title).Append("\n\n");
        md.Append("- Created (UTC): ").Append(meta.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Tool version: ").Append(meta.ToolVersion).Append('\n');
        if (meta.Model is not null) { md.Append("- Model: ").Append(ReportText.Code(meta.Model)).Append('\n'); }
        if (meta.World is not null) { md.Append("- World and targets: ").Append(meta.World).Append('\n'); }
        md.Append("- Methods: ").Append(doc.Summaries.Count.ToString(CultureInfo.InvariantCulture))
          .Append(", runs: ").Append(doc.Results.Count.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
        md.Append("Produced by:\n\n```\n").Append(meta.CommandLine).Append("\n```\n\n");

        List<MetricInfo> columns = MetricCatalog.BenchmarkTableMetrics
            .Where(name => doc.Summaries.Any(s => s.Of(name).Count > 0))
            .Select(MetricCatalog.Describe)
            .ToList();
        md.Append("## Results\n\n");
        md.Append("Mean ± sample standard deviation (n − 1) over seeds. **Bold** marks the best mean per column ")
          .Append("(highest, lowest, or for membership-inference AUCs closest to 0.5).\n\n");
        ReportText.Table(md, ["Method", "Seeds", .. columns.Select(c => c.DisplayName)], doc.Summaries.Select(summary => (IReadOnlyList<string>)
        [
            ReportText.Code(summary.Method),
            string.Join(", ", summary.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            .. columns.Select(column => Cell(doc.Summaries, summary, column)),
        ]));
        if (doc.Summaries.Any(s => s.Seeds.Count == 1))
        {
            md.Append("Note: a method with one seed shows ±0.000; one run has no spread to estimate.\n\n");
        }
        if (doc.Summaries.Any(s => columns.Any(c => s.Of(c.Name).Missing > 0)))
        {
            md.Append("Note: runs that did not measure a metric are left out of its mean.\n\n");
        }

        md.Append("## Runs\n\n");
        ReportText.Table(md, ["Method", "Seed", .. columns.Select(c => c.DisplayName)], doc.Results.Select(r => (IReadOnlyList<string>)
        [
            ReportText.Code(r.Method), r.Seed.ToString(CultureInfo.InvariantCulture),
            .. columns.Select(c => ReportText.Value(r.ValueOf(c.Name))),
        ]));

        if (meta.Settings.Count > 0)
        {
            md.Append("## Settings\n\n");
            ReportText.Table(md, ["Setting", "Value"], meta.Settings.Select(kv => (IReadOnlyList<string>)[ReportText.Cell(kv.Key), ReportText.Cell(kv.Value)]));
        }

        md.Append("## Charts\n\n");
        foreach (ChartOutcome chart in charts)
        {
            md.Append(chart.Written ? $"![{chart.Caption}]({chart.RelativePath})\n\n" : $"- {chart.Caption}: not drawn ({chart.Reason}).\n\n");
        }
        return md.ToString();
    }

    private static string Cell(IReadOnlyList<BenchmarkMethodSummary> all, BenchmarkMethodSummary summary, MetricInfo column)
    {
        SampleStatistics stats = summary.Of(column.Name);
        string text = ReportText.MeanStd(stats);
        return IsBest(all, stats, column) ? $"**{text}**" : text;
    }

    // Best by the rounded mean shown, so that two methods that read the same are both marked.
    private static bool IsBest(IReadOnlyList<BenchmarkMethodSummary> all, SampleStatistics stats, MetricInfo column)
    {
        if (stats.Count == 0 || column.Direction == MetricDirection.Neutral || all.Count < 2)
        {
            return false;
        }
        double mine = Rounded(stats.Mean);
        return all.Select(s => s.Of(column.Name)).Where(s => s.Count > 0).All(other => column.CompareQuality(mine, Rounded(other.Mean)) >= 0);
    }

    private static double Rounded(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}

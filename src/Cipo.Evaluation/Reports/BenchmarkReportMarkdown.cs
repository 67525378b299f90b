using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Renders results.md: how the benchmark was run (command line, created, tool version, wall time, worlds), then the
/// tables of <see cref="BenchmarkTables"/> (headline, every metric, worlds, runs), the settings and the charts.
/// </summary>
internal static class BenchmarkReportMarkdown
{
    public static string Render(BenchmarkReportDocument doc, IReadOnlyList<ChartOutcome> charts)
    {
        BenchmarkMetadata meta = doc.Metadata;
        var md = new StringBuilder();
        md.Append("# ").Append(meta.Title).Append("\n\n");
        md.Append("- Created (UTC): ").Append(meta.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('\n');
        md.Append("- Tool version: ").Append(meta.ToolVersion).Append('\n');
        md.Append("- Wall time: ").Append(meta.WallSeconds > 0 ? ReportText.Invariant($"{meta.WallSeconds:0.0} s") : "unknown").Append('\n');
        md.Append("- Worlds: ").Append(Worlds(doc)).Append('\n');
        if (meta.Model is not null) { md.Append("- Model: ").Append(ReportText.Code(meta.Model)).Append('\n'); }
        if (meta.World is not null) { md.Append("- World and targets: ").Append(meta.World).Append('\n'); }
        md.Append("- Methods: ").Append(doc.Results.Select(r => r.Method).Distinct(StringComparer.Ordinal).Count().ToString(CultureInfo.InvariantCulture))
          .Append(" (reference rows included), runs: ").Append(doc.Results.Count.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
        md.Append("Produced by:\n\n```\n").Append(meta.CommandLine).Append("\n```\n\n");

        md.Append("## Results\n\n").Append(BenchmarkTables.Headline(doc)).Append('\n');
        md.Append("## Pareto front\n\n").Append(TuningTables.Pareto(doc)).Append('\n');
        md.Append("## Comparison verdict\n\n").Append(VerdictTables.Comparison(doc)).Append('\n');
        md.Append("## Robustness\n\n").Append(RobustnessTable.Render(doc)).Append('\n');
        md.Append("### Robustness goals\n\n").Append(VerdictTables.RobustnessGoals(doc)).Append('\n');
        if (SequentialFigures.RequestsIn(doc.Results.SelectMany(r => r.Metrics.Keys)).Length > 0)
        {
            md.Append("## Many requests over time\n\n").Append(SequentialTables.Render(doc)).Append('\n');
            md.Append("### Sequential goals\n\n").Append(SequentialTables.Goals(doc)).Append('\n');
        }
        if (doc.Results.Any(r => FactUpdateFigures.IsFactUpdate(r.Metrics.Keys)))
        {
            md.Append("## Fact update\n\n").Append(FactUpdateTables.Render(doc)).Append('\n');
        }
        if (doc.Results.Any(r => PassageTables.IsPassageRun(r.Metrics.Keys)))
        {
            md.Append("## Copyrighted passages\n\n").Append(PassageTables.Render(doc)).Append('\n');
            md.Append("### Passage goals\n\n").Append(PassageTables.Goals(doc)).Append('\n');
        }
        if (doc.Results.Any(r => HazardFigures.IsHazard(r.Metrics.Keys)))
        {
            md.Append("## Hazardous knowledge\n\n").Append(HazardTables.Render(doc)).Append('\n');
            md.Append("### Hazard goals\n\n").Append(HazardTables.Goals(doc)).Append('\n');
        }
        if (doc.Tuning is not null)
        {
            md.Append("## Tuning\n\n").Append(TuningTables.Tuning(doc)).Append('\n');
        }
        md.Append("## All metrics\n\n").Append(BenchmarkTables.Full(doc)).Append('\n');
        md.Append("## Worlds\n\n").Append(BenchmarkTables.Worlds(doc)).Append('\n');
        md.Append("## Runs\n\n").Append(BenchmarkTables.Runs(doc)).Append('\n');

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

    /// <summary>How many worlds and their seeds: from the metadata, else from the runs.</summary>
    private static string Worlds(BenchmarkReportDocument doc)
    {
        int[] seeds = doc.Metadata.Worlds.Count > 0
            ? doc.Metadata.Worlds.Select(w => w.Seed).ToArray()
            : doc.Results.Select(r => r.Seed).Distinct().ToArray();
        return seeds.Length == 0 ? "none" : $"{seeds.Length.ToString(CultureInfo.InvariantCulture)} (seeds {string.Join(", ", seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))})";
    }
}

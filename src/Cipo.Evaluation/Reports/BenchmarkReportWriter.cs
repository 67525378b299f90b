namespace Cipo.Evaluation.Reports;

/// <summary>
/// Writes a benchmark report folder: <c>results.json</c>, <c>results.md</c> (the tables of <see cref="BenchmarkTables"/>),
/// and the charts <c>charts/frontier.png</c>, <c>charts/leakage.png</c>, <c>charts/forget-quality-vs-utility.png</c> and
/// <c>charts/leakage-by-group.png</c>, each file atomically.
/// </summary>
public static class BenchmarkReportWriter
{
    /// <summary>The JSON results (<see cref="ReportJson.ReadBenchmarkReportAsync"/> reads them back).</summary>
    public const string JsonFileName = "results.json";
    /// <summary>The Markdown results.</summary>
    public const string MarkdownFileName = "results.md";

    /// <summary>Summarises <paramref name="results"/> per method and writes the report into <paramref name="folder"/>.</summary>
    /// <param name="folder">The report folder (created if missing).</param>
    /// <param name="results">Every run, method × seed; methods appear in the report in order of first appearance.</param>
    /// <param name="metadata">How the benchmark was run, with the exact command line.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static async Task<ReportWriteResult> WriteAsync(
        string folder, IReadOnlyList<BenchmarkResult> results, BenchmarkMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(metadata);
        var document = new BenchmarkReportDocument(metadata, results, BenchmarkMethodSummary.From(results));
        var output = new ReportFolder(folder);
        await output.WriteChartAsync(ReportChartFiles.Frontier, "Forget efficacy vs model utility",
            () => BenchmarkReportCharts.Frontier(document.Summaries), "no run measured both model utility and forget efficacy", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.Leakage, "Greedy and leak@k leakage per method",
            () => BenchmarkReportCharts.Leakage(document.Summaries), "no run measured leakage", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.ForgetQualityVsUtility, "Forget quality (log scale) vs model utility, one point per method and world",
            () => BenchmarkReportCharts.ForgetQualityVsUtility(document.Results), "no run measured both model utility and forget quality", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.LeakageByGroup, "Greedy leakage per probe group and method",
            () => BenchmarkReportCharts.LeakageByGroup(document.Summaries), "no run measured leakage per probe group", cancellationToken).ConfigureAwait(false);
        await output.WriteTextAsync(MarkdownFileName, BenchmarkReportMarkdown.Render(document, output.Charts), cancellationToken).ConfigureAwait(false);
        await output.WriteJsonAsync(JsonFileName, document, cancellationToken).ConfigureAwait(false);
        return output.Result();
    }
}

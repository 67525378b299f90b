namespace Cipo.Evaluation.Reports;

/// <summary>
/// Writes an unlearning report folder: <c>report.json</c>, <c>report.md</c> and the charts under <c>charts/</c>. Every file
/// is written atomically; an existing report in the folder is replaced file by file.
/// </summary>
public static class UnlearningReportWriter
{
    /// <summary>The JSON report (<see cref="ReportJson.ReadUnlearningReportAsync"/> reads it back).</summary>
    public const string JsonFileName = "report.json";
    /// <summary>The Markdown report.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>Writes <paramref name="document"/> into <paramref name="folder"/> (created if missing).</summary>
    /// <returns>The files written and the fate of each chart.</returns>
    public static async Task<ReportWriteResult> WriteAsync(string folder, UnlearningReportDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(document);
        var output = new ReportFolder(folder);
        // Charts first: the Markdown links only the charts that were drawn.
        await output.WriteChartAsync(ReportChartFiles.BeforeAfter, "Key metrics before and after",
            () => UnlearningReportCharts.BeforeAfter(document), "no key metric was measured", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.LeakagePerRound, "Leakage per round",
            () => UnlearningReportCharts.LeakagePerRound(document), "no leakage was measured", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.WeightChange, "Relative weight change per layer and module",
            () => UnlearningReportCharts.WeightChange(document), "weight changes were not measured or none is finite", cancellationToken).ConfigureAwait(false);
        await output.WriteTextAsync(MarkdownFileName, UnlearningReportMarkdown.Render(document, output.Charts), cancellationToken).ConfigureAwait(false);
        await output.WriteJsonAsync(JsonFileName, document, cancellationToken).ConfigureAwait(false);
        return output.Result();
    }
}

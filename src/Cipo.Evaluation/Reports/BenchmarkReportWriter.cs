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
    /// <param name="tuning">How each method's hyper-parameters were chosen; null for an untuned benchmark.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static async Task<ReportWriteResult> WriteAsync(
        string folder, IReadOnlyList<BenchmarkResult> results, BenchmarkMetadata metadata, BenchmarkTuning? tuning, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(metadata);
        var document = new BenchmarkReportDocument(metadata, results, BenchmarkMethodSummary.From(results)) { Tuning = tuning };
        var output = new ReportFolder(folder);
        await WriteRenderingsAsync(output, document, cancellationToken).ConfigureAwait(false);
        await output.WriteJsonAsync(JsonFileName, document, cancellationToken).ConfigureAwait(false);
        return output.Result();
    }

    /// <summary>
    /// Renders <c>results.md</c> and the charts of a report folder anew from its <c>results.json</c>, which is left as it
    /// is: a report brought up to this version's tables and charts without running the benchmark again.
    /// </summary>
    /// <param name="folder">A folder holding the <c>results.json</c> of <c>cipo bench</c>.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <exception cref="FileNotFoundException">The folder has no <c>results.json</c>.</exception>
    /// <exception cref="InvalidDataException">The <c>results.json</c> is not a benchmark report; the message names the file, line and field.</exception>
    public static async Task<ReportWriteResult> RenderAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string json = Path.Combine(folder, JsonFileName);
        if (!File.Exists(json))
        {
            throw new FileNotFoundException($"'{json}' not found; 'cipo bench --out {folder}' writes it", json);
        }
        BenchmarkReportDocument stored;
        try
        {
            stored = await ReportJson.ReadBenchmarkReportAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException($"{json}: line {(ex.LineNumber ?? 0) + 1}, field '{ex.Path ?? "$"}': not a benchmark report ({ex.Message})", ex);
        }
        if (stored.Metadata is null || stored.Results is null)
        {
            throw new InvalidDataException($"{json}: field '{(stored.Metadata is null ? "metadata" : "results")}' is missing; not a benchmark report");
        }
        var document = new BenchmarkReportDocument(stored.Metadata, stored.Results, BenchmarkMethodSummary.From(stored.Results)) { Tuning = stored.Tuning };
        var output = new ReportFolder(folder);
        await WriteRenderingsAsync(output, document, cancellationToken).ConfigureAwait(false);
        return output.Result();
    }

    private static async Task WriteRenderingsAsync(ReportFolder output, BenchmarkReportDocument document, CancellationToken cancellationToken)
    {
        await output.WriteChartAsync(ReportChartFiles.Frontier, "Forget efficacy vs model utility",
            () => BenchmarkReportCharts.Frontier(document.Summaries), "no run measured both model utility and forget efficacy", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.Leakage, "Greedy and leak@k leakage per method",
            () => BenchmarkReportCharts.Leakage(document.Summaries), "no run measured leakage", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.ForgetQualityVsUtility, "Forget quality (log scale) vs model utility, one point per method and world",
            () => BenchmarkReportCharts.ForgetQualityVsUtility(document.Results), "no run measured both model utility and forget quality", cancellationToken).ConfigureAwait(false);
        await output.WriteChartAsync(ReportChartFiles.LeakageByGroup, "Greedy leakage per probe group and method",
            () => BenchmarkReportCharts.LeakageByGroup(document.Summaries), "no run measured leakage per probe group", cancellationToken).ConfigureAwait(false);
        if (RobustnessCharts.CurveSteps(document.Summaries).Length > 0)
        {
            await output.WriteChartAsync(ReportChartFiles.RelearningCurve, "Relearning curve: leak on the held half after N fine-tuning steps",
                () => RobustnessCharts.RelearningCurve(document.Summaries), "no run measured the relearning curve", cancellationToken).ConfigureAwait(false);
        }
        if (RobustnessCharts.Layers(document.Summaries).Length > 0)
        {
            await output.WriteChartAsync(ReportChartFiles.ProbeByLayer, "Hidden-state probe: accuracy on forgotten subjects per layer",
                () => RobustnessCharts.ProbeByLayer(document.Summaries), "no run measured the hidden-state probe", cancellationToken).ConfigureAwait(false);
        }
        if (SequentialFigures.RequestsIn(document.Results.SelectMany(r => r.Metrics.Keys)).Length > 0)
        {
            await output.WriteChartAsync(ReportChartFiles.SequentialLeak, "Many requests: leak@k of the earlier requests' targets after each request",
                () => SequentialCharts.EarlierLeak(document.Summaries), "no run measured two requests or more", cancellationToken).ConfigureAwait(false);
            await output.WriteChartAsync(ReportChartFiles.SequentialUtility, "Many requests: utility after each request",
                () => SequentialCharts.Utility(document.Summaries), "no run measured utility per request", cancellationToken).ConfigureAwait(false);
        }
        if (document.Tuning is not null)
        {
            await output.WriteChartAsync(ReportChartFiles.TuningSweep, "Each method's tuning sweep on the validation probes: forget efficacy vs model utility",
                () => BenchmarkReportCharts.TuningSweep(document.Tuning), "no tuning point measured both model utility and forget efficacy", cancellationToken).ConfigureAwait(false);
        }
        await output.WriteTextAsync(MarkdownFileName, BenchmarkReportMarkdown.Render(document, output.Charts), cancellationToken).ConfigureAwait(false);
    }
}

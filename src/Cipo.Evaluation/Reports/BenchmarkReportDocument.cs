namespace Cipo.Evaluation.Reports;

/// <summary>The content of results.json: how the benchmark was run, every run, and each method's mean ± std.</summary>
/// <param name="Metadata">How it was run.</param>
/// <param name="Results">Every run (method × seed).</param>
/// <param name="Summaries">Per method: mean and sample standard deviation over seeds.</param>
public sealed record BenchmarkReportDocument(BenchmarkMetadata Metadata, IReadOnlyList<BenchmarkResult> Results, IReadOnlyList<BenchmarkMethodSummary> Summaries)
{
    /// <summary>How each method's hyper-parameters were chosen on the validation probes; null when the benchmark ran untuned.</summary>
    public BenchmarkTuning? Tuning { get; init; }
}

namespace Cipo.Evaluation.Reports;

/// <summary>The content of results.json: how the benchmark was run, every run, and each method's mean ± std.</summary>
/// <param name="Metadata">How it was run.</param>
/// <param name="Results">Every run (method × seed).</param>
/// <param name="Summaries">Per method: mean and sample standard deviation over seeds.</param>
public sealed record BenchmarkReportDocument(BenchmarkMetadata Metadata, IReadOnlyList<BenchmarkResult> Results, IReadOnlyList<BenchmarkMethodSummary> Summaries);

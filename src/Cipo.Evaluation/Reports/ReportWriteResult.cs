namespace Cipo.Evaluation.Reports;

/// <summary>The files a report writer wrote.</summary>
/// <param name="Folder">The report folder (full path).</param>
/// <param name="Files">Full paths of the files written.</param>
/// <param name="Charts">Each chart, written or why not.</param>
public sealed record ReportWriteResult(string Folder, IReadOnlyList<string> Files, IReadOnlyList<ChartOutcome> Charts);

namespace Cipo.Evaluation.Reports;

/// <summary>What became of one chart of a report.</summary>
/// <param name="RelativePath">Its path inside the report folder (<see cref="ReportChartFiles"/>).</param>
/// <param name="Caption">What it shows.</param>
/// <param name="Written">Whether the PNG was written.</param>
/// <param name="Reason">Why not, when not written.</param>
public sealed record ChartOutcome(string RelativePath, string Caption, bool Written, string? Reason);

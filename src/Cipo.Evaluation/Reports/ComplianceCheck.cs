namespace Cipo.Evaluation.Reports;

/// <summary>One comparison of a compliance summary.</summary>
/// <param name="Name">What is checked (e.g. <c>greedy leak</c>, <c>retain accuracy ratio</c>).</param>
/// <param name="Value">The measured value, or NaN when not measured.</param>
/// <param name="Comparison"><c>&lt;=</c> or <c>&gt;=</c>.</param>
/// <param name="Threshold">The limit.</param>
/// <param name="Passed">Whether it holds; <see langword="null"/> when not measured (the check is then not applied).</param>
public sealed record ComplianceCheck(string Name, double Value, string Comparison, double Threshold, bool? Passed)
{
    /// <summary>A check that <paramref name="value"/> is at most <paramref name="threshold"/>; not applied when NaN.</summary>
    public static ComplianceCheck AtMost(string name, double value, double threshold) =>
        new(name, value, "<=", threshold, double.IsNaN(value) ? null : ComplianceThresholds.AtMost(value, threshold));

    /// <summary>A check that <paramref name="value"/> is at least <paramref name="threshold"/>; not applied when NaN.</summary>
    public static ComplianceCheck AtLeast(string name, double value, double threshold) =>
        new(name, value, ">=", threshold, double.IsNaN(value) ? null : ComplianceThresholds.AtLeast(value, threshold));
}

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The charts of the sequential setting (issue 16): leak@k of the earlier requests' targets and utility against the
/// number of requests applied, one line per method (mean over worlds), the base and retrained models as references.
/// </summary>
internal static class SequentialCharts
{
    /// <summary>Earlier targets' leak@k after each request (from the second).</summary>
    public static byte[]? EarlierLeak(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        int[] requests = SequentialFigures.RequestsIn(summaries.SelectMany(s => s.Metrics.Keys)).Where(r => r > 1).ToArray();
        return requests.Length == 0 ? null : ChartImage.Lines(summaries,
            "Many requests: leak@k of the earlier requests' targets after each request (mean over worlds)", "Requests applied", "leak@k (earlier targets)",
            s => requests.Select(r => ((double)r, s.Of(SequentialFigures.EarlierLeakAtK(r)).Mean)).ToArray(), chance: null);
    }

    /// <summary>Utility after each request.</summary>
    public static byte[]? Utility(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        int[] requests = SequentialFigures.RequestsIn(summaries.SelectMany(s => s.Metrics.Keys));
        return requests.Length == 0 ? null : ChartImage.Lines(summaries,
            "Many requests: utility after each request (mean over worlds)", "Requests applied", "Utility (HM of retain, neighbour, paraphrase, arithmetic)",
            s => requests.Select(r => ((double)r, s.Of(SequentialFigures.UtilityAfter(r)).Mean)).ToArray(), chance: null);
    }
}

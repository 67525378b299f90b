using System.Globalization;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Metrics;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The figures of the sequential setting (many requests over time, issue 16) as metric names of a benchmark row, and how
/// they are computed from an audit's per-target figures: leakage of the targets of earlier requests (probe-weighted over
/// their targets) and utility, after each request.
/// </summary>
public static class SequentialFigures
{
    /// <summary>How many requests the sequence had.</summary>
    public const string Requests = "sequential/requests";

    /// <summary>leak@k (trace or answer) on the test probes of the targets of requests before <paramref name="request"/>, after it.</summary>
    public static string EarlierLeakAtK(int request) => Name(request, "earlier/at_k");

    /// <summary>Greedy leak (trace or answer) on the test probes of the targets of requests before <paramref name="request"/>, after it.</summary>
    public static string EarlierGreedyLeak(int request) => Name(request, "earlier/greedy");

    /// <summary>leak@k on the test probes of every target so far (this request's included), after <paramref name="request"/>.</summary>
    public static string SoFarLeakAtK(int request) => Name(request, "so_far/at_k");

    /// <summary>Utility (<see cref="Utility"/>) after <paramref name="request"/>.</summary>
    public static string UtilityAfter(int request) => Name(request, "utility");

    /// <summary>Wall time of unlearning <paramref name="request"/>, in seconds (audits not included).</summary>
    public static string SecondsOf(int request) => Name(request, "seconds");

    /// <summary>
    /// Utility as the sequential setting measures it: the harmonic mean of the accuracies every leakage audit measures
    /// (retain, neighbour, paraphrased retain, arithmetic; <see cref="AuditMetricNames"/>), so that the figure after each
    /// request and the base model's are the same quantity. NaN when the audit measured none.
    /// </summary>
    public static double Utility(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double[] parts = UtilityParts.Where(metrics.ContainsKey).Select(p => metrics[p]).Where(v => !double.IsNaN(v)).ToArray();
        return parts.Length == 0 ? double.NaN : HarmonicMean.Compute(parts);
    }

    /// <summary>The accuracies <see cref="Utility"/> averages.</summary>
    public static IReadOnlyList<string> UtilityParts { get; } =
        [AuditMetricNames.RetainAccuracy, AuditMetricNames.NeighbourAccuracy, AuditMetricNames.ParaphraseAccuracy, AuditMetricNames.ArithmeticAccuracy];

    /// <summary>
    /// The share of the probes of <paramref name="targetIds"/> that leak (greedy, or any of k samples), from an audit's
    /// per-target figures (<see cref="TargetMetricNames"/>): each target's rate weighted by its probe count, so the result
    /// is the rate an audit of those probes alone would give. NaN when none of the targets has probes in the audit.
    /// </summary>
    /// <param name="metrics">An audit's metrics with its per-target figures.</param>
    /// <param name="targetIds">The targets whose probes count.</param>
    /// <param name="greedy">Greedy leak; otherwise leak@k.</param>
    public static double ProbeWeightedLeak(IReadOnlyDictionary<string, double> metrics, IEnumerable<string> targetIds, bool greedy)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(targetIds);
        if (!metrics.TryGetValue(AuditMetricNames.K, out double k) || k < 0)
        {
            throw new ArgumentException($"the audit's metrics have no '{AuditMetricNames.K}'; per-target leak rates cannot be weighted", nameof(metrics));
        }
        double probes = 0, leaking = 0;
        foreach (string id in targetIds.Distinct(StringComparer.Ordinal))
        {
            if (!metrics.TryGetValue(TargetMetricNames.Samples(id), out double outputs)
                || !metrics.TryGetValue(greedy ? TargetMetricNames.GreedyLeak(id) : TargetMetricNames.LeakAtK(id), out double rate))
            {
                continue;
            }
            double n = outputs / (1 + k);
            probes += n;
            leaking += rate * n;
        }
        return probes == 0 ? double.NaN : leaking / probes;
    }

    /// <summary>The requests whose figures <paramref name="metrics"/> hold, ascending.</summary>
    public static int[] RequestsIn(IEnumerable<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Where(m => m.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(m => m[Prefix.Length..]).Select(s => s.IndexOf('/', StringComparison.Ordinal) is int slash and > 0 ? s[..slash] : "")
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : 0)
            .Where(r => r > 0).Distinct().Order().ToArray();
    }

    private const string Prefix = "sequential/request";

    private static string Name(int request, string figure) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{request}/{figure}");
}

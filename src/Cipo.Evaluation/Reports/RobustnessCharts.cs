using System.Globalization;
using System.Text.RegularExpressions;
using Cipo.Evaluation.Audit;
using ScottPlot;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// The charts of issue 15's study, from the benchmark's results: how fast each method relearns (leak on the held half
/// against relearning steps) and how decodable the forgotten answers stay per layer (the hidden-state probe).
/// </summary>
internal static partial class RobustnessCharts
{
    [GeneratedRegex(@"^relearn/curve/steps(\d+)/leak_after$", RegexOptions.CultureInvariant)]
    private static partial Regex CurveMetric();

    [GeneratedRegex(@"^probe/layer(\d+)/accuracy$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerMetric();

    /// <summary>The relearning budgets (steps) measured in <paramref name="summaries"/>, ascending.</summary>
    public static int[] CurveSteps(IReadOnlyList<BenchmarkMethodSummary> summaries) => Indices(summaries, CurveMetric());

    /// <summary>The probed layers measured in <paramref name="summaries"/>, ascending.</summary>
    public static int[] Layers(IReadOnlyList<BenchmarkMethodSummary> summaries) => Indices(summaries, LayerMetric());

    /// <summary>Leak on the held half against relearning steps (0 = before the attack), one line per method, mean over worlds.</summary>
    public static byte[]? RelearningCurve(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        int[] steps = CurveSteps(summaries);
        if (steps.Length == 0)
        {
            return null;
        }
        return ChartImage.Lines(summaries, "Relearning curve: leak on the held half after N fine-tuning steps (mean over worlds)", "Relearning steps", "Greedy leak (held half)",
            s => [(0, s.Of(AuditMetricNames.RelearnLeakBefore).Mean), .. steps.Select(n => ((double)n, s.Of(AuditMetricNames.RelearnCurveLeakAfter(n)).Mean))],
            chance: null);
    }

    /// <summary>The hidden-state probe's accuracy on forgotten subjects per layer, one line per method, the chance floor dashed.</summary>
    public static byte[]? ProbeByLayer(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        int[] layers = Layers(summaries);
        if (layers.Length == 0)
        {
            return null;
        }
        double chance = summaries.Select(s => s.Of(AuditMetricNames.ProbeChance).Mean).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        return ChartImage.Lines(summaries, "Hidden-state probe: accuracy on forgotten subjects per layer (mean over worlds)", "Layer (0 = embeddings)", "Probe accuracy",
            s => layers.Select(l => ((double)l, s.Of(AuditMetricNames.ProbeLayerAccuracy(l)).Mean)).ToArray(), chance);
    }

    private static int[] Indices(IReadOnlyList<BenchmarkMethodSummary> summaries, Regex pattern) =>
        summaries.SelectMany(s => s.Metrics.Keys).Select(k => pattern.Match(k)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();
}

using Cipo.Evaluation.Audit;
using ScottPlot;

namespace Cipo.Evaluation.Reports;

/// <summary>The charts of a benchmark report, as PNG bytes; null when the results have nothing to show for a chart.</summary>
internal static class BenchmarkReportCharts
{
    public static byte[]? Frontier(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        var points = summaries
            .Select(s => (s.Method, X: s.Of(AuditMetricNames.ModelUtility), Y: s.Of(AuditMetricNames.ForgetEfficacy)))
            .Where(p => p.X.Count > 0 && p.Y.Count > 0)
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }
        using var plot = new Plot();
        for (int i = 0; i < points.Count; i++)
        {
            var (method, x, y) = points[i];
            Color color = ChartImage.ColorOf(i);
            var errors = new ScottPlot.Plottables.ErrorBar(
                [x.Mean], [y.Mean], [x.StandardDeviation], [x.StandardDeviation], [y.StandardDeviation], [y.StandardDeviation])
            {
                Color = color,
            };
            plot.Add.Plottable(errors);
            var marker = plot.Add.Marker(x.Mean, y.Mean, MarkerShape.FilledCircle, 10, color);
            marker.LegendText = method;
            var label = plot.Add.Text(method, x.Mean, y.Mean);
            label.LabelFontColor = color;
            label.LabelFontSize = 14;
            label.OffsetX = 8;
            label.OffsetY = -8;
        }
        plot.Axes.SetLimits(0, 1.05, 0, 1.05);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Title("Forget efficacy vs model utility (mean ± std over seeds)");
        plot.XLabel("Model utility (higher is better)");
        plot.YLabel("Forget efficacy (higher is better)");
        return ChartImage.Png(plot);
    }

    public static byte[]? Leakage(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        string[] series = [AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All)];
        if (!summaries.Any(s => series.Any(name => s.Of(name).Count > 0)))
        {
            return null;
        }
        using var plot = new Plot();
        var bars = new List<Bar>();
        for (int m = 0; m < summaries.Count; m++)
        {
            for (int s = 0; s < series.Length; s++)
            {
                SampleStatistics stats = summaries[m].Of(series[s]);
                if (stats.Count == 0) { continue; }
                bars.Add(new Bar
                {
                    Position = m + (s == 0 ? -0.2 : 0.2),
                    Value = stats.Mean,
                    Error = stats.StandardDeviation,
                    Size = 0.38,
                    FillColor = ChartImage.ColorOf(s),
                });
            }
        }
        plot.Add.Bars(bars);
        ChartImage.CategoryTicks(plot, summaries.Select(s => s.Method).ToList());
        for (int s = 0; s < series.Length; s++)
        {
            ChartImage.LegendEntry(plot, MetricCatalog.Describe(series[s]).DisplayName, ChartImage.ColorOf(s));
        }
        // Beside the data area, so the legend never covers a bar.
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Leakage per method (mean ± std over seeds; lower is better)");
        plot.YLabel("Leak rate");
        return ChartImage.Png(plot);
    }
}

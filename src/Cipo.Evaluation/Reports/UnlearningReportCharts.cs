using Cipo.Evaluation.Audit;
using ScottPlot;

namespace Cipo.Evaluation.Reports;

/// <summary>The charts of an unlearning report, as PNG bytes; null when the document has nothing to show for a chart.</summary>
internal static class UnlearningReportCharts
{
    public static byte[]? BeforeAfter(UnlearningReportDocument doc)
    {
        List<MetricInfo> metrics = MetricCatalog.BeforeAfterChartMetrics
            .Where(m => !double.IsNaN(MetricCatalog.ValueOf(doc.Before, m)) || !double.IsNaN(MetricCatalog.ValueOf(doc.After, m)))
            .Select(MetricCatalog.Describe)
            .ToList();
        if (metrics.Count == 0)
        {
            return null;
        }
        using var plot = new Plot();
        Color before = ChartImage.ColorOf(0), after = ChartImage.ColorOf(1);
        var bars = new List<Bar>();
        for (int i = 0; i < metrics.Count; i++)
        {
            // An unmeasured side gets no bar rather than a misleading zero.
            double b = MetricCatalog.ValueOf(doc.Before, metrics[i].Name), a = MetricCatalog.ValueOf(doc.After, metrics[i].Name);
            if (double.IsFinite(b)) { bars.Add(new Bar { Position = i - 0.2, Value = b, Size = 0.38, FillColor = before }); }
            if (double.IsFinite(a)) { bars.Add(new Bar { Position = i + 0.2, Value = a, Size = 0.38, FillColor = after }); }
        }
        plot.Add.Bars(bars);
        ChartImage.CategoryTicks(plot, metrics.Select(m => m.DisplayName).ToList());
        ChartImage.LegendEntry(plot, "Before", before);
        ChartImage.LegendEntry(plot, "After", after);
        // Beside the data area, so the legend never covers a bar.
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Key metrics before and after unlearning");
        plot.YLabel("Rate");
        return ChartImage.Png(plot);
    }

    public static byte[]? LeakagePerRound(UnlearningReportDocument doc)
    {
        // Round 0 is the audit before unlearning, so a single round still draws a line.
        List<AuditReport> audits = [doc.Before, .. doc.Rounds.Select(r => r.Audit)];
        if (doc.Rounds.Count == 0)
        {
            audits.Add(doc.After);
        }
        double[] xs = Enumerable.Range(0, audits.Count).Select(i => (double)i).ToArray();
        string[] series =
        [
            MetricCatalog.TraceLeakageRate, MetricCatalog.AnswerLeakageRate,
            AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All),
        ];
        using var plot = new Plot();
        int drawn = 0;
        for (int s = 0; s < series.Length; s++)
        {
            double[] ys = audits.Select(a => MetricCatalog.ValueOf(a, series[s])).ToArray();
            if (ys.All(double.IsNaN))
            {
                continue;
            }
            var line = plot.Add.Scatter(xs, ys, ChartImage.ColorOf(s));
            line.LegendText = MetricCatalog.Describe(series[s]).DisplayName;
            line.MarkerSize = 8;
            line.LineWidth = 2;
            drawn++;
        }
        if (drawn == 0)
        {
            return null;
        }
        ChartImage.CategoryTicks(plot, xs.Select(x => x == 0 ? "before" : doc.Rounds.Count == 0 ? "after" : $"round {x:0}").ToList());
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(-0.02, 1.05);
        plot.Axes.SetLimitsX(-0.3, xs.Length - 0.7);
        plot.Title("Leakage per round");
        plot.YLabel("Leak rate");
        return ChartImage.Png(plot);
    }

    public static byte[]? WeightChange(UnlearningReportDocument doc)
    {
        if (doc.WeightChanges.Count == 0)
        {
            return null;
        }
        WeightChangeGrid grid = WeightChangeGrid.From(doc.WeightChanges);
        double[] finite = grid.Values.Cast<double>().Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }
        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap(grid.Values);
        // From 0, so that colour reads as "how much" even when every module moved about the same.
        double max = finite.Max();
        heatmap.ManualRange = new ScottPlot.Range(0, max > 0 ? max : 1);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.White;
        int rows = grid.RowLabels.Count, columns = grid.ColumnLabels.Count;
        // ScottPlot's default layout puts cell centres on whole numbers, row 0 (layer 0) at the top.
        plot.Add.ColorBar(heatmap).Label = "‖ΔW‖ / ‖W‖";
        ChartImage.CategoryTicks(plot, grid.ColumnLabels);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows).Select(r => (double)(rows - 1 - r)).ToArray(), grid.RowLabels.ToArray());
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.Title("Relative weight change per layer and module");
        return ChartImage.Png(plot);
    }
}
